/**
 * Before the first promotion every failure compensates: the route goes back to the source, unfenced, the
 * mirrors stay ACTIVE, and the applications (running through the Gateway the whole time) lose nothing and
 * never write to the destination. The ways it fails here: a mirror not copying, a producer that bypasses
 * the Gateway, and an operator's Ctrl-C.
 */
import { rest } from "../dynamic/env";
import type { Workload } from "../../../local/load/workload";
import { CutoverWorld, createWorld } from "./world";
import { startProvider, when } from "./providerRun";
import { eventually } from "../helpers";

async function expectBackOnSource(world: CutoverWorld): Promise<void> {
  const route = await world.liveRoute();
  expect([route.domain, route.fenced]).toEqual(["msk", false]);
  expect((await world.mirrors()).map((m) => m.mirror_status)).toEqual(["ACTIVE", "ACTIVE"]);
}

/** The applications ran through the Gateway all along: everything they were acknowledged is on the source, once. */
async function expectNothingLostOnTheSource(world: CutoverWorld, load: Workload): Promise<void> {
  const g = await world.guarantees(await load.stop(), "source");
  expect([g.lost, g.skipped, g.split, g.duplicated]).toEqual([[], [], [], 0]);
}

describe("a cutover that fails before promotion", () => {
  const worlds: CutoverWorld[] = [];
  afterAll(async () => {
    for (const w of worlds) await w.cleanUp();
  });

  // (Lag that never drains: lagThatNeverDrainsRefusesBeforeTheFence.test.ts, with a stalled mirror.)
  it("a mirror is not copying (paused): readiness refuses before touching the route", async () => {
    const world = await createWorld("paused", { timeouts: { readinessMs: 5_000 } });
    worlds.push(world);
    const load = await world.startLoad(200);
    const generation = (await world.liveRoute()).generation;
    const link = rest(world.endpoints);
    await link.pauseMirrors(world.name, { mirror_topic_names: [world.topics[0]] });

    const outcome = await startProvider(world.inputs()).done;
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toBe(`readiness: mirror topics not ACTIVE: ${world.topics[0]} is PAUSED`);
    expect((await world.liveRoute()).generation).toBe(generation); // the CR was never touched
    await link.resumeMirrors(world.name, { mirror_topic_names: [world.topics[0]] });
    await expectBackOnSource(world);
    await expectNothingLostOnTheSource(world, load);
  }, 180_000);

  it("a producer writes to the source around the Gateway: the fence check sees it and rolls back", async () => {
    // A verification window a loaded CI machine cannot sleep through between two of the writer's sends.
    const world = await createWorld("bypassed", { lagThreshold: 100_000, timeouts: { fenceVerifyMs: 3_000 } });
    worlds.push(world);
    const load = await world.startLoad(200);
    const bypass = world.writeToSource(world.topics[1]);
    await eventually(async () => expect(await bypass.written()).toBeGreaterThan(0), { what: "the bypass writing" });
    const outcome = await startProvider(world.inputs()).done;
    await bypass.stop();
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(
      /^fence: records still reach the source after the fence, so a producer bypasses the Gateway: /,
    );
    expect(outcome.error).toContain(world.topics[1]);
    await expectBackOnSource(world);
    await expectNothingLostOnTheSource(world, load);
  }, 180_000);

  it("SIGINT while fenced: the provider unfences back to the source before it exits", async () => {
    const world = await createWorld("interrupted", { timeouts: { promoteMs: 60_000 } });
    worlds.push(world);
    const load = await world.startLoad(200);
    const run = startProvider(world.inputs());
    await when(run, async () => (await world.liveRoute()).fenced, "the fence");
    run.child.kill("SIGINT");
    const outcome = await run.done;
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/interrupted/);
    await expectBackOnSource(world);
    await expectNothingLostOnTheSource(world, load);
  }, 180_000);
});
