/**
 * The lag view's ETA: unknown until two samples, the time to the threshold at the drain rate between the last
 * two, "not draining" when the lag grew or stood still, "ready" at or under the threshold unless a partition is
 * missing (readiness waits for it whatever the lag).
 */
import { eta, formatDuration, formatEta } from "../../../tools/lag/eta";

it("is unknown from a single sample", () => {
  expect(eta(undefined, { at: 1_000, lag: 500 }, 100)).toEqual({ kind: "unknown" });
  expect(formatEta({ kind: "unknown" })).toBe("—");
});

it("draining: the records above the threshold at the rate observed between the two samples", () => {
  // 600 → 400 in 2 s: 100 records/s; 300 above the threshold of 100 → 3 s.
  const e = eta({ at: 10_000, lag: 600 }, { at: 12_000, lag: 400 }, 100);
  expect(e).toEqual({ kind: "draining", ms: 3_000, recordsPerSec: 100 });
  expect(formatEta(e)).toBe("~3s (100 rec/s)");
  expect(formatEta(eta({ at: 0, lag: 100_000 }, { at: 1_000, lag: 99_900 }, 0))).toBe("~16m 39s (100 rec/s)");
});

it("growing or standing still is not draining", () => {
  expect(eta({ at: 0, lag: 400 }, { at: 2_000, lag: 450 }, 100)).toEqual({ kind: "not-draining" });
  expect(eta({ at: 0, lag: 400 }, { at: 2_000, lag: 400 }, 100)).toEqual({ kind: "not-draining" });
  expect(formatEta({ kind: "not-draining" })).toBe("not draining");
});

it("is ready at or under the threshold, but not while the mirror lacks a partition", () => {
  expect(eta(undefined, { at: 0, lag: 100 }, 100)).toEqual({ kind: "ready" });
  expect(eta({ at: 0, lag: 90 }, { at: 1_000, lag: 95 }, 100)).toEqual({ kind: "ready" });
  expect(eta({ at: 0, lag: 0 }, { at: 1_000, lag: 0 }, 100, true)).toEqual({ kind: "not-draining" });
});

it("formats durations in the largest two units", () => {
  expect([formatDuration(400), formatDuration(59_000), formatDuration(61_000), formatDuration(3_723_000)]).toEqual([
    "1s",
    "59s",
    "1m 01s",
    "1h 02m",
  ]);
});
