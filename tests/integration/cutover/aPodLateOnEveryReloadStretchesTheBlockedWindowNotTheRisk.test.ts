/**
 * One of the Gateway's three pods applies every change 3 s after the others (a fault knob of the Gateway
 * emulator), under load through the route. The cutover waits for it at the fence and at the switch (a step
 * counts only once every pod serves it), so nothing is lost or split and the consumer group skips nothing; the
 * price is time, and the blocked window says so: it holds the late pod's switch, waited on the Gateway.
 */
import type { TimelineEntry } from "../../../dynamic/cutover";
import type { GatewayFaults } from "../../../local/gateway";
import { startProvider } from "./providerRun";
import { CutoverWorld, createWorld, expectLoadCrossedToTheDestination } from "./world";

const LATE_MS = 3_000;

async function setFaults(world: CutoverWorld, faults: GatewayFaults): Promise<void> {
  const status = (world.endpoints as { gateway?: { status?: string } }).gateway?.status;
  if (!status) throw new Error("endpoints.json has no gateway.status");
  const res = await fetch(status.replace(/\/status$/, "/faults"), { method: "POST", body: JSON.stringify(faults) });
  if (!res.ok) throw new Error(`POST /faults: ${res.status} ${await res.text()}`);
}

let world: CutoverWorld;
afterAll(async () => {
  if (world) await setFaults(world, {});
  await world?.cleanUp();
});

it("waits for the late pod at the fence and at the switch: nothing lost, the blocked window holds the wait", async () => {
  world = await createWorld("latepod", { timeouts: { fenceMs: 30_000, switchMs: 30_000 } });
  const load = await world.startLoad(100);
  await setFaults(world, { podLagMs: [0, LATE_MS] });
  const outcome = await startProvider(world.inputs()).done;
  expect(outcome.error).toBeUndefined();
  expect(outcome.outs).toMatchObject({ state: "cut-over" });
  const steps = (outcome.outs?.timeline ?? []) as unknown as readonly TimelineEntry[];
  const took = (step: string) => steps.find((s) => s.step === step)?.durationMs ?? 0;
  expect(took("fence")).toBeGreaterThanOrEqual(LATE_MS - 500);
  expect(took("switch")).toBeGreaterThanOrEqual(LATE_MS - 500);
  const window = (outcome.outs as { blockedWindow?: { durationMs: number; waitedMs: { gateway: number } } })
    .blockedWindow;
  expect(window?.durationMs).toBeGreaterThanOrEqual(LATE_MS - 500);
  expect(window?.waitedMs.gateway).toBeGreaterThanOrEqual(LATE_MS - 500);
  await expectLoadCrossedToTheDestination(world, load);
}, 180_000);
