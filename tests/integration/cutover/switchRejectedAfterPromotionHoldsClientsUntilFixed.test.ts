/**
 * The point of no return: the mirrors are promoted, then the Gateway rejects the switch (a colleague broke
 * the secret store it needs). The route must stay fenced — clients held, on neither cluster — and once the
 * store is fixed, running the cutover again finishes on the destination with nothing lost.
 */
import { startProvider } from "./providerRun";
import { CutoverWorld, createWorld, expectLoadCrossedToTheDestination } from "./world";

describe("the Gateway rejects the switch after promotion", () => {
  let world: CutoverWorld;
  afterAll(() => world?.cleanUp());

  it("clients stay fenced until the store is fixed; the re-run finishes on the destination, nothing lost", async () => {
    world = await createWorld("rejected");
    const load = await world.startLoad(200);
    const repair = await world.breakSecretStore();

    const failed = await startProvider(world.inputs()).done;
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(
      /^switch: the Gateway rejected generation \d+: ApplyFailed: .*not <apiKey>\/<apiSecret>/,
    );
    expect((await world.mirrors()).map((m) => m.mirror_status)).toEqual(["STOPPED", "STOPPED"]);
    expect(await world.appliedRoute()).toMatchObject({ domain: "msk", fenced: true }); // held, on neither

    await repair();
    const rerun = await startProvider(world.inputs()).done;
    expect(rerun.error).toBeUndefined();
    expect(rerun).toMatchObject({ ok: true, outs: { state: "cut-over" } });
    await world.waitApplied();
    expect(await world.appliedRoute()).toMatchObject({ domain: "confluent-cloud", fenced: false });

    await expectLoadCrossedToTheDestination(world, load);
  }, 180_000);
});
