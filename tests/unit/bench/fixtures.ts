/** A cutoverUnderLoad result and bench runs to build the bench's records from, as the real ones look. */
import type { CutoverRunResult } from "../../../local/cutoverUnderLoad";
import { BenchRun, failedRun, runRecord } from "../../../bench/runRecord";

const T = Date.parse("2026-11-24T12:00:00.000Z");
const iso = (ms: number) => new Date(T + ms).toISOString();

/** Load ready at 0 s, preview at 3 s, up from 5 s to 15 s; the cutover's steps start at 6 s. */
export function cutoverResult(over: Partial<CutoverRunResult> = {}): CutoverRunResult {
  const kafkajs = {
    acknowledged: 6,
    consumed: 10,
    failedSends: 0,
    lost: [],
    skipped: [],
    redelivered: 4,
    rewound: [],
    maxProduceStallMs: 1_700,
    maxConsumeGapMs: 1_900,
    ackedAfterCutover: 1,
    consumedAfterCutover: 1,
  };
  return {
    ...kafkajs,
    byClient: { kafkajs },
    duplicated: 0,
    reordered: [],
    split: [],
    blockedWindowMs: 1_500,
    previewOutput: "",
    upOutput: "",
    upCode: 0,
    previewMs: 2_000,
    idlePreviewMs: 1_200,
    // 3 acks in the 3 s before the preview, 2 during the 10 s up, 1 after.
    ackedAt: [T + 0, T + 1_000, T + 2_999, T + 6_000, T + 14_999, T + 16_000],
    times: {
      loadStartedAt: T - 500,
      loadReadyAt: T,
      previewStartedAt: T + 3_000,
      upStartedAt: T + 5_000,
      upEndedAt: T + 15_000,
      loadStoppedAt: T + 18_000,
    },
    stackOutput: {
      endpoint: "127.0.0.1:1",
      topics: ["t"],
      consumerGroups: ["g"],
      streamingDomain: "confluent-cloud",
      state: "cut-over",
      blockedWindowMs: 1_500,
      blockedWindow: {
        fenceAppliedAt: iso(6_300),
        switchAppliedAt: iso(7_800),
        durationMs: 1_500,
        waitedMs: { gateway: 60, "cluster-linking": 800 },
      },
      timeline: [
        { step: "readiness", startedAt: iso(6_000), endedAt: iso(6_200), durationMs: 200, outcome: "done" },
        { step: "fence", startedAt: iso(6_200), endedAt: iso(6_850), durationMs: 650, outcome: "done" },
        { step: "caught-up", startedAt: iso(6_850), endedAt: iso(7_350), durationMs: 500, outcome: "done" },
        { step: "promote", startedAt: iso(7_350), endedAt: iso(7_650), durationMs: 300, outcome: "done" },
        { step: "switch", startedAt: iso(7_650), endedAt: iso(7_900), durationMs: 250, outcome: "done" },
      ],
    },
    ...over,
  };
}

export const SHAPE = { topics: 10, partitions: 3, rate: 2_000, repeat: 1 };

/** A finished run with the given measures. */
export function run(topics: number, blockedWindowMs: number, extra: Partial<BenchRun> = {}): BenchRun {
  return {
    ...runRecord({ ...SHAPE, topics }, cutoverResult()),
    blockedWindowMs,
    ...extra,
  };
}

export function failed(topics: number): BenchRun {
  return failedRun({ ...SHAPE, topics }, "deploying the bench stack failed");
}
