/**
 * A link that cannot keep up: one mirror stays ACTIVE but copies nothing while the applications keep writing,
 * so its lag only grows. Readiness must give up at its deadline, naming the topic and its lag, without ever
 * touching the route: clients never notice a cutover was attempted.
 */
import { startProvider } from "./providerRun";
import { CutoverWorld, createWorld } from "./world";
import { eventually } from "../helpers";

describe("lag that never drains", () => {
  let world: CutoverWorld;
  afterAll(() => world?.cleanUp());

  it("readiness refuses at its deadline, naming the lagging topic; the route was never touched", async () => {
    world = await createWorld("lagging", { ownLinkEmulator: true, lagThreshold: 50, timeouts: { readinessMs: 4_000 } });
    const [stalled] = world.topics;
    const load = await world.startLoad(200);
    world.link?.link(world.name)?.stall(stalled, true);
    await eventually(
      async () => {
        const lag = (await world.mirrors())
          .find((m) => m.mirror_topic_name === stalled)
          ?.mirror_lags.reduce((n, p) => n + Number(p.lag), 0);
        if (!lag || lag <= 50) throw new Error(`lag ${lag}`);
      },
      { timeoutMs: 30_000, what: "the stalled mirror's lag to pass the threshold" },
    );
    const generation = (await world.liveRoute()).generation;

    const outcome = await startProvider(world.inputs()).done;
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(new RegExp(`^readiness: lag did not fall to 50 within 4000 ms: .*${stalled}=\\d+`));
    expect((await world.liveRoute()).generation).toBe(generation); // the CR was never touched
    expect(await world.appliedRoute()).toMatchObject({ domain: "msk", fenced: false });

    world.link?.link(world.name)?.stall(stalled, false);
    const g = await world.guarantees(await load.stop(), "source");
    expect([g.lost, g.skipped, g.split, g.duplicated]).toEqual([[], [], [], 0]);
  }, 180_000);
});
