/**
 * The cutover sequence against a fake world: the order of its steps, and that every failure before the
 * first promotion puts the route back on the source while every failure after it leaves the route fenced.
 */
import { runCutover } from "../../../dynamic/cutover/sequence";
import { fenceOf } from "../../../components/gatewaySpec";
import { FakeWorld, SOURCE_ROUTE } from "./fakeWorld";

describe("the cutover sequence", () => {
  it("runs readiness, fence, promote, switch in that order and ends on the destination, unfenced", async () => {
    const w = new FakeWorld();
    w.lagUntilFenced = 5; // under the threshold: ready at once; drains once fenced
    const ctx = w.context();
    const result = await runCutover(ctx);
    expect(w.events).toEqual(["fence", "promote orders,refunds", "switch"]);
    const steps = ctx.timeline.entries.map((e) => [e.step, e.outcome]);
    // The fence's verification window and caught-up run side by side; both end before promote.
    expect(steps.slice(0, 2)).toEqual([
      ["readiness", "done"],
      ["fence", "done"],
    ]);
    expect(steps.slice(2, 4)).toEqual(
      expect.arrayContaining([
        ["fence-verified", "done"],
        ["caught-up", "done"],
      ]),
    );
    expect(steps.slice(4)).toEqual([
      ["promote", "done"],
      ["switch", "done"],
    ]);
    expect(w.route.streamingDomain.name).toBe("cc");
    expect(w.route.fence).toBeUndefined();
    expect(result.blockedWindowMs).toBeGreaterThanOrEqual(0);
    expect(w.destinationCommitted).toEqual(w.sourceCommitted);
  });

  it("refuses before fencing when lag never falls to the threshold, touching nothing", async () => {
    const w = new FakeWorld();
    w.lagUntilFenced = 1_000;
    await expect(runCutover(w.context())).rejects.toThrow(
      /readiness: lag did not fall to 10 within 300 ms: orders=1000, refunds=1000$/,
    );
    expect(w.events).toEqual([]); // the rollback found nothing to undo
    expect(w.route).toEqual(SOURCE_ROUTE);
  });

  it("rolls back when a producer bypasses the Gateway after the fence", async () => {
    const w = new FakeWorld();
    w.bypassingProducer = true;
    await expect(runCutover(w.context())).rejects.toThrow(
      /a producer bypasses the Gateway: orders\[0\] 101→\d+, refunds\[0\] 51→\d+/,
    );
    expect(w.events).toEqual(["fence", "unfence"]);
    expect(w.route).toEqual(SOURCE_ROUTE);
    expect([...w.mirrors.values()].every((m) => m.status === "ACTIVE")).toBe(true);
  });

  it("rolls back when the Gateway rejects the fence", async () => {
    const w = new FakeWorld();
    w.rejectNextApply = true;
    await expect(runCutover(w.context())).rejects.toThrow(
      /^fence: the Gateway rejected generation 2: ApplyFailed: rejected by the test$/,
    );
    expect(w.route).toEqual(SOURCE_ROUTE);
    expect(w.events.some((e) => e.startsWith("promote"))).toBe(false);
  });

  it("refuses before fencing when a Secret the switched route needs is missing", async () => {
    const w = new FakeWorld();
    w.secrets.delete("gw-plain-jaas");
    await expect(runCutover(w.context())).rejects.toThrow(
      /^readiness: Secrets the route needs once switched do not exist in ns: gw-plain-jaas; /,
    );
    expect(w.events).toEqual([]);
    expect(w.route).toEqual(SOURCE_ROUTE);
  });

  it("rolls back, without promoting, when a Secret the switch needs disappears while fenced", async () => {
    const w = new FakeWorld();
    w.loseSecretWhenFenced = "gw-swap-credentials";
    await expect(runCutover(w.context())).rejects.toThrow(/^caught-up: Secrets .*: gw-swap-credentials; /);
    expect(w.events).toEqual(["fence", "unfence"]);
    expect(w.route).toEqual(SOURCE_ROUTE);
    expect([...w.mirrors.values()].every((m) => m.status === "ACTIVE")).toBe(true);
  });

  it("rolls back, without promoting, when consumer offsets never reach the destination", async () => {
    const w = new FakeWorld();
    w.offsetSyncBroken = true;
    await expect(runCutover(w.context())).rejects.toThrow(
      /consumer offsets not synced to the destination after 300 ms: billing: orders\[0\] source 90, destination none/,
    );
    expect(w.events).toEqual(["fence", "unfence"]);
    expect(w.route).toEqual(SOURCE_ROUTE);
  });

  it("stays fenced, without rolling back, when promotion fails", async () => {
    const w = new FakeWorld();
    w.promoteError = "the link is unavailable";
    await expect(runCutover(w.context())).rejects.toThrow(
      /the link refused to promote orders: the link is unavailable/,
    );
    expect(w.events).toEqual(["fence", "promote orders,refunds"]);
    // Clients stay held by the fence; the next up finishes forward.
    expect(w.route.fence).toBeDefined();
    expect(w.route.streamingDomain.name).toBe("msk");
  });

  it("resumes forward after a crash between promotion and switch", async () => {
    const w = new FakeWorld();
    w.route = { ...SOURCE_ROUTE, fence: fenceOf() };
    w.mirrors.get("orders")!.status = "STOPPED";
    const ctx = w.context();
    await runCutover(ctx);
    expect(w.events).toEqual(["promote refunds", "switch"]); // no second fence, orders not promoted twice
    expect(ctx.timeline.entries.map((e) => e.step)).not.toContain("readiness");
    expect(w.route.streamingDomain.name).toBe("cc");
  });

  it("does nothing when the group is already cut over", async () => {
    const w = new FakeWorld();
    w.route = { ...w.route, streamingDomain: { name: "cc", bootstrapServerId: "DESTINATION" } };
    for (const m of w.mirrors.values()) m.status = "STOPPED";
    const result = await runCutover(w.context());
    expect(result.alreadyDone).toBe(true);
    expect(w.events).toEqual([]);
  });

  it("proves the path with the canary once switched, and records it on the timeline", async () => {
    const w = new FakeWorld();
    w.canary = {};
    const ctx = w.context();
    await runCutover(ctx);
    expect(w.events).toEqual(["fence", "promote orders,refunds", "switch", "canary"]);
    expect(ctx.timeline.entries.at(-1)).toMatchObject({
      step: "canary",
      outcome: "done",
      detail: "canary[0]@0 through the route and on the destination",
    });
  });

  it("fails naming the canary when it cannot sign in, and leaves the switch in place", async () => {
    const w = new FakeWorld();
    w.canary = { loginRefused: true };
    await expect(runCutover(w.context())).rejects.toThrow(
      /canary: producing through the route failed: SASL authentication failed\. The mirrors are promoted and the route is switched, so nothing is rolled back/,
    );
    expect(w.events).toEqual(["fence", "promote orders,refunds", "switch", "canary"]);
    expect(w.route.streamingDomain.name).toBe("cc");
    expect(w.route.fence).toBeUndefined();
  });

  it("runs the canary again on a group already cut over, so a re-run after a failed canary checks again", async () => {
    const w = new FakeWorld();
    w.canary = {};
    w.route = { ...w.route, streamingDomain: { name: "cc", bootstrapServerId: "DESTINATION" } };
    for (const m of w.mirrors.values()) m.status = "STOPPED";
    const result = await runCutover(w.context());
    expect(result.alreadyDone).toBe(true);
    expect(w.events).toEqual(["canary"]);
  });

  it("compensates an interrupt before promotion like a failure", async () => {
    const w = new FakeWorld();
    w.offsetSyncBroken = true; // keeps it waiting in caught-up
    let interrupted = false;
    setTimeout(() => {
      interrupted = true;
    }, 50);
    await expect(runCutover(w.context({}, () => interrupted))).rejects.toThrow(/caught-up: interrupted/);
    expect(w.events).toEqual(["fence", "unfence"]);
    expect(w.route).toEqual(SOURCE_ROUTE);
  });
});
