/**
 * The preview tells the truth about the Gateway's pods (Ready, agreeing, terminating, hot reload) and does
 * not call a group cut over from the CR's spec alone.
 */
import { fenceOf } from "../../../components/gatewaySpec";
import { lookAtGateway } from "../../../dynamic/cutover/gatewayPods";
import { LiveRoute } from "../../../dynamic/cutover/liveRoute";
import { gatewayPodsReport, routeServesTheDestination } from "../../../dynamic/cutover/preflight";
import { runCutover } from "../../../dynamic/cutover/sequence";
import { DESTINATION_ROUTE, FakeWorld, SOURCE_ROUTE } from "./fakeWorld";

async function report(w: FakeWorld, hotReloadInConfig = true) {
  const look = await lookAtGateway(w.api(), "ns", "gw");
  if (!look) throw new Error("no Gateway");
  return gatewayPodsReport(look, hotReloadInConfig);
}

it("previewCountsReadyPodsAndSaysTheyAgreeOnOneConfigId", async () => {
  const r = await report(new FakeWorld());
  expect(r).toEqual({ notes: ["Gateway pods: 3 Ready of 3, all on kc-initial"], blockers: [] });
});

it("previewNamesPodsThatDisagreeTerminateOrDoNotAnswer", async () => {
  const w = new FakeWorld();
  w.pods[0].configId = "kc-older";
  w.pods[0].lagReads = Infinity;
  w.pods[1].unreachable = true;
  w.pods[2].terminating = true;
  const [{ notes }] = [await report(w)];
  expect(notes[0]).toBe(
    `Gateway pods: 2 Ready of 3, all on kc-older; unreachable through the pods proxy: ${w.pods[1].name} (GET .../pods/${w.pods[1].name}:9180/proxy/config: HTTP 503 ServiceUnavailable) (a fence waits for them until its deadline); terminating, still serving their open connections: ${w.pods[2].name}`,
  );
  w.pods[1].unreachable = false;
  w.pods[1].lagReads = Infinity;
  w.pods[2].terminating = false;
  expect((await report(w)).notes[0]).toMatch(
    /^Gateway pods: 3 Ready of 3, they disagree \(a reload or rollout is under way\): gw-\S+ on kc-older; gw-\S+, gw-\S+ on kc-initial$/,
  );
});

it("gatewayWithoutAReadyPodBlocksTheCutover", async () => {
  const w = new FakeWorld();
  for (const p of w.pods) p.ready = false;
  expect((await report(w)).blockers).toEqual([
    "the Gateway has no Ready pod (3 listed): no fence or switch could be confirmed; fix the Gateway's Deployment first",
  ]);
});

it("previewWarnsThatWithoutHotReloadEveryChangeRollsThePods", async () => {
  const w = new FakeWorld();
  w.hotReload = false; // the live CR says so
  expect((await report(w)).notes[1]).toMatch(/^hot reload is off: each fence and switch rolls the Gateway's pods/);
  expect((await report(new FakeWorld(), false)).notes[1]).toMatch(/^hot reload is off/); // or the config does
  expect((await report(new FakeWorld())).notes).toHaveLength(1);
});

it("previewDoesNotCallARejectedSwitchCutOver", async () => {
  const w = new FakeWorld();
  w.route = { ...SOURCE_ROUTE, fence: fenceOf() };
  for (const m of w.mirrors.values()) m.status = "STOPPED";
  w.rejectNextApply = true;
  await expect(runCutover(w.context())).rejects.toThrow(/switch: the Gateway rejected/);
  const route = new LiveRoute(w.api(), "ns", "gw", "orders");
  expect(w.route).toEqual(DESTINATION_ROUTE); // the spec says cut over…
  expect(await routeServesTheDestination(route, "cc")).toBe(false); // …the pods do not

  await runCutover(w.context());
  expect(await routeServesTheDestination(route, "cc")).toBe(true);
});
