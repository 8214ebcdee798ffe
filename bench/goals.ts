/** Issue #9's and #6's goals, each with what was measured and whether it was met (reported, never asserted). */
import type { ProxyCost } from "./proxyCost";
import type { BenchRun } from "./runRecord";
import type { SizeSummary } from "./summary";

export interface GoalCheck {
  readonly goal: string;
  readonly measured: string;
  /** Undefined when the bench did not measure it (size not run, proxy skipped). */
  readonly met?: boolean;
}

/**
 * Judged on the preview timed before the load started, the preflight's own speed; the preview under load
 * shares 2 cores with producers, consumers, brokers and emulators, and is shown beside it.
 */
function previewGoal(s: SizeSummary | undefined): GoalCheck {
  const goal = "preview of a 100-topic group <= 5 s (worst run, before the load)";
  const idle = s?.idlePreviewMs.max;
  if (s === undefined || idle === undefined || !Number.isFinite(idle)) return { goal, measured: "not measured" };
  return {
    goal,
    measured: `${Math.round(idle)} ms (under load: ${Math.round(s.previewMs.max)} ms)`,
    met: idle <= 5_000,
  };
}

export function checkGoals(
  summary: readonly SizeSummary[],
  runs: readonly BenchRun[],
  proxy: ProxyCost | undefined,
): GoalCheck[] {
  const size = (n: number) => summary.find((s) => s.topics === n && s.runs > s.failed);
  const atMost = (goal: string, value: number | undefined, limit: number, unit = "ms"): GoalCheck =>
    value === undefined || Number.isNaN(value)
      ? { goal, measured: "not measured" }
      : { goal, measured: `${Math.round(value)} ${unit}`, met: value <= limit };
  const finished = runs.filter((r) => r.ok);
  const overheads = finished.map((r) => r.overheadMs).filter((v): v is number => v !== null);
  const lost = finished.reduce((n, r) => n + r.lost, 0);
  return [
    atMost("blocked window median <= 1 s for 10 topics", size(10)?.blockedWindowMs.median, 1_000),
    atMost("blocked window median <= 3 s for 100 topics", size(100)?.blockedWindowMs.median, 3_000),
    atMost("our overhead <= 100 ms (worst run)", overheads.length ? Math.max(...overheads) : undefined, 100),
    finished.length === 0
      ? { goal: "lost = 0 in every run", measured: "not measured" }
      : {
          goal: "lost = 0 in every run",
          measured: `${lost} lost over ${finished.length} finished runs (${runs.length - finished.length} failed)`,
          met: lost === 0 && finished.length === runs.length,
        },
    previewGoal(size(100)),
    proxy
      ? {
          goal: "Gateway route: at most 20% less produce throughput than direct",
          measured: `${Math.round((1 - proxy.throughputRatio) * 100)}% less`,
          met: proxy.throughputRatio >= 0.8,
        }
      : { goal: "Gateway route: at most 20% less produce throughput than direct", measured: "not measured" },
  ];
}
