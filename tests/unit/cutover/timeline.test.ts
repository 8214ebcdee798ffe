/**
 * The timeline's wait accounting: the blocked window is split into time waited on the Gateway, on Cluster
 * Linking, and the cutover's own, so the bench can report our overhead.
 */
import { memoryProgress } from "../../../dynamic/cutover/progress";
import { runCutover } from "../../../dynamic/cutover/sequence";
import { Timeline } from "../../../dynamic/cutover/timeline";
import { FakeWorld } from "./fakeWorld";

function timelineWith(waits: [on: "gateway" | "cluster-linking", start: number, end: number][]): Timeline {
  const t = new Timeline(memoryProgress());
  for (const [on, start, end] of waits) t.waits.push({ on, start, end });
  return t;
}

describe("the timeline's wait accounting", () => {
  it("counts only the part of each wait inside the window", () => {
    const t = timelineWith([
      ["gateway", 0, 150],
      ["cluster-linking", 200, 700],
      ["gateway", 900, 1_300],
    ]);
    expect(t.blockedWindow(100, 1_000)).toEqual({
      fenceAppliedAt: new Date(100).toISOString(),
      switchAppliedAt: new Date(1_000).toISOString(),
      durationMs: 900,
      waitedMs: { gateway: 150, "cluster-linking": 500 },
    });
  });

  it("counts overlapping waits on one service once", () => {
    const t = timelineWith([
      ["cluster-linking", 0, 400],
      ["cluster-linking", 300, 500],
      ["cluster-linking", 100, 200],
    ]);
    expect(t.waitedWithin("cluster-linking", 0, 1_000)).toBe(500);
    expect(t.waitedWithin("gateway", 0, 1_000)).toBe(0);
  });

  it("records a wait that failed, and rethrows", async () => {
    const t = new Timeline(memoryProgress());
    await expect(t.waitOn("gateway", () => Promise.reject(new Error("rejected")))).rejects.toThrow("rejected");
    expect(t.waits.map((w) => w.on)).toEqual(["gateway"]);
  });

  it("splits a real run's blocked window into waits no longer than the window", async () => {
    const w = new FakeWorld();
    w.lagUntilFenced = 5;
    const ctx = w.context();
    const result = await runCutover(ctx);
    const window = result.blockedWindow;
    expect(window?.durationMs).toBe(result.blockedWindowMs);
    expect(ctx.timeline.waits.map((x) => x.on)).toEqual(["gateway", "cluster-linking", "cluster-linking", "gateway"]);
    const waited = (window?.waitedMs.gateway ?? 0) + (window?.waitedMs["cluster-linking"] ?? 0);
    expect(waited).toBeLessThanOrEqual(window?.durationMs ?? -1);
  });
});
