import { runRecord } from "../../../bench/runRecord";
import { SHAPE, cutoverResult } from "./fixtures";

describe("a bench run's record", () => {
  it("has the fields issue #9 asks for, from the clients and the cutover's timeline", () => {
    const r = runRecord(SHAPE, cutoverResult());
    expect(r).toMatchObject({
      topics: 10,
      partitions: 3,
      rate: 2_000,
      blockedWindowMs: 1_500,
      maxProduceStallMs: 1_700,
      maxConsumeGapMs: 1_900,
      previewMs: 2_000,
      idlePreviewMs: 1_200,
      lost: 0,
      duplicated: 0,
      ok: true,
    });
  });

  it("takes our overhead as the blocked window minus the waits on the Gateway and Cluster Linking", () => {
    const r = runRecord(SHAPE, cutoverResult());
    expect(r.overheadMs).toBe(1_500 - 60 - 800);
    expect(r.waitedOnGatewayMs).toBe(60);
    expect(r.waitedOnClusterLinkingMs).toBe(800);
    // Fence applied at 6.3 s, the fence step (verification included) ended at 6.85 s.
    expect(r.fenceVerifyMs).toBe(550);
  });

  it("measures the rate the producers held before the cutover and during the up", () => {
    const r = runRecord(SHAPE, cutoverResult());
    expect(r.achievedRate).toBe(1);
    expect(r.achievedRateDuringUp).toBe(0.2);
    expect(r.upMs).toBe(10_000);
  });

  it("places the milestones from the start of readiness", () => {
    const r = runRecord(SHAPE, cutoverResult());
    expect(r.milestones).toEqual({
      readinessDoneMs: 200,
      fenceAppliedMs: 300,
      promoteDoneMs: 1_650,
      switchAppliedMs: 1_800,
    });
    expect(r.timeline.map((s) => [s.step, s.startMs])).toEqual([
      ["readiness", 0],
      ["fence", 200],
      ["caught-up", 850],
      ["promote", 1_350],
      ["switch", 1_650],
    ]);
  });

  it("counts loss and marks a failed up as not ok", () => {
    const lost = [{ topic: "t", producer: "p", seq: 1, ackedAt: 0 }];
    const r = runRecord(
      SHAPE,
      cutoverResult({ lost, upCode: 255, stackOutput: undefined, blockedWindowMs: undefined }),
    );
    expect(r).toMatchObject({
      ok: false,
      lost: 1,
      blockedWindowMs: null,
      overheadMs: null,
      error: "pulumi up exited 255",
    });
    expect(r.milestones.fenceAppliedMs).toBeNull();
  });
});
