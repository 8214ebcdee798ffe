/**
 * With hot reload off, every change rolls the Gateway's pods: new pods start with the new config, and each old
 * pod, out of the Service, keeps serving its open connections with the old config until it has drained (30 s
 * in the emulator, as the real Gateway's old pods serve ~30-40 s). An old pod that still leads clients to the
 * source unfenced is a hole in the fence, so the fence counts only once every old pod is gone; the same for
 * the switch. Under load: nothing acknowledged lost, nothing split, and the blocked window says what it cost. A
 * record whose acknowledgement died with an old pod is sent again and may be on the destination twice (at least
 * once: idempotence does not span the two clusters here), and nothing else may be.
 */
import type { TimelineEntry } from "../../../dynamic/cutover";
import { startProvider } from "./providerRun";
import { CutoverWorld, createWorld, expectLoadCrossedToTheDestination } from "./world";

/** The emulator's default drain (FAITHFUL_BEHAVIOUR.drainMs). */
const DRAIN_MS = 30_000;

let world: CutoverWorld;
afterAll(() => world?.cleanUp());

it("the fence and the switch wait for the old pods to drain and go; nothing lost under load", async () => {
  world = await createWorld("podroll", { hotReload: false, timeouts: { fenceMs: 90_000, switchMs: 90_000 } });
  const load = await world.startLoad(100);
  const outcome = await startProvider(world.inputs()).done;
  expect(outcome.error).toBeUndefined();
  expect(outcome.outs).toMatchObject({ state: "cut-over" });
  const steps = (outcome.outs?.timeline ?? []) as unknown as readonly TimelineEntry[];
  const took = (step: string) => steps.find((s) => s.step === step)?.durationMs ?? 0;
  expect(took("fence")).toBeGreaterThanOrEqual(DRAIN_MS);
  expect(took("switch")).toBeGreaterThanOrEqual(DRAIN_MS);
  // An old pod that goes with a produce in flight loses its acknowledgement; the retry reaches the destination.
  await expectLoadCrossedToTheDestination(world, load, { retriesAcrossTheSwitch: "allowed" });
}, 300_000);
