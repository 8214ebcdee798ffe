/**
 * A fence, switch or rollback counts as applied only when the Gateway's pods serve it: the CR accepted at
 * its generation, the Deployment rolled out, nothing terminating, and every Ready pod reporting the change's
 * configId. The fake world's pods keep serving their old config until they reload, and a pod that still
 * leads to the source lets the group's producers write there.
 */
import { fenceOf } from "../../../components/gatewaySpec";
import { observe, runCutover } from "../../../dynamic/cutover/sequence";
import { FakeWorld, SOURCE_ROUTE, inputs } from "./fakeWorld";

const SEAMS = "KAFKA_CUTOVER_UNSAFE_TEST_SEAMS";
/** Deadlines long enough for pods that take several looks to reload, however slow the machine. */
const patient = { timeouts: { ...inputs().timeouts, fenceMs: 5_000, switchMs: 5_000 } };
afterEach(() => delete process.env[SEAMS]);

it("fenceCountsOnlyWhenEveryReadyPodServesIt", async () => {
  const w = new FakeWorld();
  w.pods[1].lagReads = 4; // reloads only after being asked four times
  const ctx = w.context(patient);
  await runCutover(ctx);
  // Had the fence counted before that pod reloaded, producers through it would have moved the source.
  expect(w.events).toEqual(["fence", "promote orders,refunds", "switch"]);
  expect(w.sourceLogEnd).toEqual({ orders: 100, refunds: 50 });
  expect(ctx.lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^\(status\) waiting for the Gateway: 2\/3 pods on kc-[0-9a-f]{24}$/),
    ]),
  );
});

it("skipPodConfirmationSeamTrustsObservedGenerationAloneAndSaysSoLoudly", async () => {
  process.env[SEAMS] = "something-else, skip-pod-confirmation";
  const w = new FakeWorld();
  w.pods[1].lagReads = 4;
  const ctx = w.context(patient);
  // The same world as above: with the per-pod check skipped, the lagging pod lets records reach the source.
  await expect(runCutover(ctx)).rejects.toThrow(/records still reach the source after the fence/);
  expect(w.events).toEqual(["fence", "unfence"]);
  expect(ctx.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^warning: UNSAFE TEST SEAM/)]));
});

it("podThatNeverReloadsFailsTheFenceAtItsDeadlineNamingWhatItServes", async () => {
  const w = new FakeWorld();
  const stuck = w.pods[2];
  stuck.lagReads = Infinity;
  await expect(runCutover(w.context())).rejects.toThrow(
    new RegExp(
      `^fence: the Gateway did not serve generation 2 \\(kc-[0-9a-f]{24}\\) in time: pod ${stuck.name} serves kc-initial \\(not kc-[0-9a-f]{24}\\)$`,
    ),
  );
  expect(w.events[0]).toBe("fence");
  expect(w.route).toEqual(SOURCE_ROUTE);
});

it("unreachablePodFailsAtTheDeadline", async () => {
  const w = new FakeWorld();
  const lost = w.pods[0];
  lost.unreachable = true; // it may well serve the fence; unasked, it is never taken for a pass
  await expect(runCutover(w.context())).rejects.toThrow(
    new RegExp(`^fence: the Gateway did not serve .* in time: pod ${lost.name} unreachable: .*HTTP 503`),
  );
  expect(w.events.some((e) => e.startsWith("promote"))).toBe(false);
});

it("changeCountsOnlyOnceTheDeploymentHasRolledOut", async () => {
  const w = new FakeWorld();
  w.rolloutReads = Infinity;
  await expect(runCutover(w.context())).rejects.toThrow(
    /^fence: the Gateway did not serve .* in time: Deployment gw rolling out: 2\/3 replicas updated, 2 available, 4 in total/,
  );
  expect(w.events.some((e) => e.startsWith("promote"))).toBe(false);
});

it("fenceWaitsUntilPodsOfTheOldConfigHaveTerminated", async () => {
  const w = new FakeWorld();
  w.hotReload = false; // every change rolls the pods; old ones keep serving the unfenced route while they drain
  await runCutover(w.context(patient));
  expect(w.events).toEqual(["fence", "promote orders,refunds", "switch"]);
  expect(w.sourceLogEnd).toEqual({ orders: 100, refunds: 50 });
});

it("gatewayWithoutAReadyPodNeverCountsAChangeApplied", async () => {
  const w = new FakeWorld();
  for (const p of w.pods) p.ready = false;
  await expect(runCutover(w.context())).rejects.toThrow(/^fence: .* in time: .*no pod of the Gateway is Ready$/);
});

it("everyChangeCarriesAFreshConfigIdTheCrdAccepts", async () => {
  const w = new FakeWorld();
  await runCutover(w.context());
  expect(w.appliedConfigIds).toHaveLength(2);
  expect(new Set(w.appliedConfigIds).size).toBe(2);
  for (const id of w.appliedConfigIds) {
    expect(id).toMatch(/^[a-zA-Z0-9._:-]+$/);
    expect(id.length).toBeLessThanOrEqual(64);
  }
});

it("rejectedSwitchIsNeverReportedCutOver", async () => {
  const w = new FakeWorld();
  w.route = { ...SOURCE_ROUTE, fence: fenceOf() }; // a previous run promoted everything and stopped
  for (const m of w.mirrors.values()) m.status = "STOPPED";
  w.rejectNextApply = true;
  await expect(runCutover(w.context())).rejects.toThrow(/^switch: the Gateway rejected generation \d+: ApplyFailed/);
  // The spec now says destination and unfenced; every pod still serves the fence.
  expect(w.route.streamingDomain.name).toBe("cc");
  expect(w.servedRoutes().every((r) => r.fence && r.streamingDomain.name === "msk")).toBe(true);

  // A re-run while the Gateway still rejects fails with its reason instead of reporting the group cut over.
  w.rejectNextApply = true;
  await expect(runCutover(w.context())).rejects.toThrow(/the Gateway rejected generation \d+: ApplyFailed/);

  // Once the Gateway takes it, the re-run goes through the switch again and clients reach the destination.
  const result = await runCutover(w.context());
  expect(result.alreadyDone).toBe(false);
  expect(w.events.slice(-2)).toEqual(["fence", "switch"]);
  expect(w.servedRoutes().every((r) => !r.fence && r.streamingDomain.name === "cc")).toBe(true);
});

it("rejectedUnfenceIsObservedAsStillFencedSoTheNextRunRollsBackAgain", async () => {
  const w = new FakeWorld();
  w.route = { ...SOURCE_ROUTE, fence: fenceOf() }; // a run stopped before promotion, clients fenced
  const ctx = w.context();
  w.rejectNextApply = true;
  await ctx.route.restore(SOURCE_ROUTE); // the rollback's unfence, refused by the operator
  expect(w.route).toEqual(SOURCE_ROUTE); // the spec says unfenced…
  expect(w.servedRoutes().every((r) => r.fence)).toBe(true); // …the pods still hold the clients
  expect((await observe(ctx)).phase).toBe("fenced");
});
