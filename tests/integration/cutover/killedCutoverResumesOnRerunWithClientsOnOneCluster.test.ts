/**
 * The provider process is killed (SIGKILL: no compensation runs) at each point of the sequence while the
 * group's applications run through the Gateway; running it again — what an operator does with `pulumi up` —
 * must finish the cutover from what it observes, with nothing lost and the clients on one cluster.
 * Killed while fenced with nothing promoted, and the config then no longer asking for the cutover, the
 * next run must roll back to the source instead.
 */
import { CutoverWorld, createWorld } from "./world";
import { ProviderRun, startProvider, when } from "./providerRun";

const PROMOTED = new Set(["STOPPED", "PENDING_STOPPED"]);

type KillPoint = "readiness" | "fence applied" | "mirrors promoted" | "route switched";

async function reached(world: CutoverWorld, point: KillPoint, startedAt: number): Promise<boolean> {
  switch (point) {
    case "readiness":
      return Date.now() - startedAt > 1_500; // connected and polling lag; nothing changed yet
    case "fence applied":
      return (await world.liveRoute()).fenced;
    case "mirrors promoted":
      return (await world.mirrors()).some((m) => PROMOTED.has(m.mirror_status));
    case "route switched": {
      const route = await world.liveRoute(); // the fence already aims at the destination: switched = unfenced there
      return route.domain === "confluent-cloud" && !route.fenced;
    }
  }
}

async function killAt(world: CutoverWorld, point: KillPoint): Promise<ProviderRun> {
  const run = startProvider(world.inputs());
  const startedAt = Date.now();
  await when(run, () => reached(world, point, startedAt), point);
  run.child.kill("SIGKILL");
  await run.done;
  return run;
}

describe("a cutover killed mid-step, then run again", () => {
  const worlds: CutoverWorld[] = [];
  afterAll(async () => {
    for (const w of worlds) await w.cleanUp();
  });

  it.each<KillPoint>(["readiness", "fence applied", "mirrors promoted", "route switched"])(
    "killed at %s: the re-run finishes on the destination, nothing lost, clients never split",
    async (point) => {
      const world = await createWorld("killed");
      worlds.push(world);
      const load = await world.startLoad(200);
      await killAt(world, point);

      const rerun = await startProvider(world.inputs()).done;
      expect(rerun.error).toBeUndefined();
      expect(rerun).toMatchObject({ ok: true, outs: { state: "cut-over" } });
      // It continued from what it observed rather than starting over.
      const steps = rerun.outs?.timeline ?? [];
      if (point === "fence applied") expect(steps.find((s) => s.step === "fence")?.detail).toMatch(/^already fenced/);
      if (point === "mirrors promoted" || point === "route switched")
        expect(steps.map((s) => s.step)).not.toContain("readiness");
      const route = await world.liveRoute();
      expect([route.domain, route.fenced]).toEqual(["confluent-cloud", false]);
      expect((await world.mirrors()).map((m) => m.mirror_status)).toEqual(["STOPPED", "STOPPED"]);

      const finishedAt = Date.now();
      await new Promise((r) => setTimeout(r, 2_000)); // the applications keep going on the destination
      const report = await load.stop();
      expect(report.acked.filter((a) => a.ackedAt > finishedAt).length).toBeGreaterThan(0);
      const g = await world.guarantees(report, "destination");
      expect(g.lost).toEqual([]);
      expect(g.duplicated).toBe(0);
      expect(g.split).toEqual([]);
      expect(g.skipped).toEqual([]);
    },
    180_000,
  );

  it("killed while fenced, then no longer asked to cut over: the next run rolls back to the source", async () => {
    const world = await createWorld("killed-undo");
    worlds.push(world);
    const load = await world.startLoad(200);
    await killAt(world, "fence applied");
    expect((await world.liveRoute()).fenced).toBe(true); // nobody unfenced it: the process died

    const standBy = await startProvider({ ...world.inputs(), requested: false }).done;
    expect(standBy.error).toBeUndefined();
    expect(standBy).toMatchObject({ ok: true, outs: { state: "standing-by" } });
    const route = await world.liveRoute();
    expect([route.domain, route.fenced]).toEqual(["msk", false]);
    expect((await world.mirrors()).map((m) => m.mirror_status)).toEqual(["ACTIVE", "ACTIVE"]);

    await new Promise((r) => setTimeout(r, 2_000));
    const report = await load.stop();
    const g = await world.guarantees(report, "source");
    expect(g.lost).toEqual([]);
    expect(g.duplicated).toBe(0);
    expect(g.split).toEqual([]);
    expect(g.skipped).toEqual([]);
  }, 180_000);
});
