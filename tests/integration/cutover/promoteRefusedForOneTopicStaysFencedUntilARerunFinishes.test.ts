/**
 * Past the point of no return, partly: the link promotes one of the group's topics and refuses the other. The
 * route must stay fenced (clients held, writing to neither cluster: one topic is writable on the destination,
 * the other is not), and the next run must resume forward, promote the rest and switch, with nothing lost.
 * The failed run's timeline outlives it (the run record in the Gateway's namespace), and the blocked window
 * the re-run reports starts at the first run's fence: clients were held across both.
 */
import { preflight } from "../../../dynamic/cutover/preflight";
import { startProvider } from "./providerRun";
import { CutoverWorld, createWorld, expectLoadCrossedToTheDestination } from "./world";

describe("the link refuses to promote one topic of the group", () => {
  let world: CutoverWorld;
  afterAll(() => world?.cleanUp());

  it("stays fenced with the other topic promoted; the re-run promotes the rest and switches, nothing lost", async () => {
    world = await createWorld("refused", { ownLinkEmulator: true });
    const [promotable, refused] = world.topics;
    const load = await world.startLoad(200);
    world.link?.faults.refuseMirrorAction({
      action: "promote",
      mirror: refused,
      message: `Topic '${refused}' cannot be promoted: the link is rebalancing (test hook)`,
    });

    const failed = await startProvider(world.inputs()).done;
    expect(failed.ok).toBe(false);
    expect(failed.error).toBe(
      `promote: the link refused to promote ${refused}: Topic '${refused}' cannot be promoted: the link is rebalancing (test hook)`,
    );
    const statuses = Object.fromEntries((await world.mirrors()).map((m) => [m.mirror_topic_name, m.mirror_status]));
    expect(statuses[refused]).toBe("ACTIVE");
    expect(["PENDING_STOPPED", "STOPPED"]).toContain(statuses[promotable]);
    expect(await world.appliedRoute()).toMatchObject({ domain: "msk", fenced: true }); // held, on neither
    const kept = await world.runRecord();
    expect(kept).toMatchObject({ group: world.name, outcome: "stopped-fenced", error: failed.error });
    expect(kept?.timeline.map((t) => `${t.step} ${t.outcome}`)).toEqual(
      expect.arrayContaining(["fence done", "promote failed"]),
    );
    const firstFence = kept?.fenceAppliedAt;
    expect(firstFence).toBe(kept?.timeline.find((t) => t.step === "fence")?.endedAt);
    // ...and the next preview says so before up resumes.
    expect((await preflight(world.inputs())).notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^the last cutover run .* stopped with the route fenced since ${firstFence}: clients are held`),
        ),
      ]),
    );

    const rerun = await startProvider(world.inputs()).done;
    expect(rerun.error).toBeUndefined();
    expect(rerun).toMatchObject({ ok: true, outs: { state: "cut-over" } });
    const steps = (rerun.outs?.timeline ?? []).map((t) => t.step);
    expect(steps).not.toContain("readiness"); // resumed forward, not started over
    await world.waitApplied();
    expect(await world.appliedRoute()).toMatchObject({ domain: "confluent-cloud", fenced: false });
    expect((await world.mirrors()).map((m) => m.mirror_status)).toEqual(["STOPPED", "STOPPED"]);

    const done = await world.runRecord();
    expect(done).toMatchObject({ outcome: "cut-over", blockedWindow: { fenceAppliedAt: firstFence } });
    expect(rerun.outs).toMatchObject({ blockedWindow: { fenceAppliedAt: firstFence } });

    await expectLoadCrossedToTheDestination(world, load);
  }, 180_000);
});
