/**
 * The Gateway rejects the fence itself: a colleague broke the secret store that another group's route in the
 * same CR uses (every Secret still exists, so readiness passes). Nothing has been promoted, so the cutover
 * rolls back; the Gateway never served the fenced config, so the clients were never held and kept writing to
 * the source; once the store is repaired, it serves the route as the rollback left it: on the source, unfenced.
 */
import { startProvider } from "./providerRun";
import { CutoverWorld, createWorld } from "./world";

describe("the Gateway rejects the fence", () => {
  let world: CutoverWorld;
  afterAll(() => world?.cleanUp());

  it("rolls back before promoting anything; clients keep flowing on the source, nothing lost", async () => {
    world = await createWorld("unfenceable", { neighbor: true });
    const load = await world.startLoad(200);
    const repair = await world.breakSecretStore();

    const outcome = await startProvider(world.inputs()).done;
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(
      /^fence: the Gateway rejected generation \d+: ApplyFailed: .*not <apiKey>\/<apiSecret>/,
    );
    expect((await world.mirrors()).map((m) => m.mirror_status)).toEqual(["ACTIVE", "ACTIVE"]);
    expect(await world.appliedRoute()).toMatchObject({ domain: "msk", fenced: false }); // never held
    // What happened outlives the failed up, in the Gateway's namespace: rolled back, nobody held.
    const record = await world.runRecord();
    expect(record).toMatchObject({ group: world.name, outcome: "rolled-back", error: outcome.error });
    expect(record).not.toHaveProperty("fenceAppliedAt");

    await repair();
    await world.waitApplied();
    const route = await world.liveRoute();
    expect([route.domain, route.fenced]).toEqual(["msk", false]);
    expect(await world.appliedRoute()).toMatchObject({ domain: "msk", fenced: false });
    const g = await world.guarantees(await load.stop(), "source");
    expect([g.lost, g.skipped, g.split, g.duplicated]).toEqual([[], [], [], 0]);
  }, 180_000);
});
