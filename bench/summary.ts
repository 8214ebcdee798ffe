/** Per group size: the median and max of each measure over the runs that finished, and the loss totals. */
import type { BenchRun } from "./runRecord";
import { max, median } from "./stats";

export interface Spread {
  readonly median: number;
  readonly max: number;
}

export interface SizeSummary {
  readonly topics: number;
  readonly runs: number;
  readonly failed: number;
  readonly achievedRate: Spread;
  readonly blockedWindowMs: Spread;
  readonly overheadMs: Spread;
  readonly fenceVerifyMs: Spread;
  readonly maxProduceStallMs: Spread;
  readonly maxConsumeGapMs: Spread;
  readonly previewMs: Spread;
  readonly idlePreviewMs: Spread;
  /** Summed over every run of the size. */
  readonly lost: number;
  readonly duplicated: number;
}

function spread(values: readonly (number | null)[]): Spread {
  const known = values.filter((v): v is number => v !== null);
  return { median: median(known), max: max(known) };
}

export function summarize(runs: readonly BenchRun[]): SizeSummary[] {
  const sizes = [...new Set(runs.map((r) => r.topics))].sort((a, b) => a - b);
  return sizes.map((topics) => {
    const all = runs.filter((r) => r.topics === topics);
    const ok = all.filter((r) => r.ok);
    return {
      topics,
      runs: all.length,
      failed: all.length - ok.length,
      achievedRate: spread(ok.map((r) => r.achievedRate)),
      blockedWindowMs: spread(ok.map((r) => r.blockedWindowMs)),
      overheadMs: spread(ok.map((r) => r.overheadMs)),
      fenceVerifyMs: spread(ok.map((r) => r.fenceVerifyMs)),
      maxProduceStallMs: spread(ok.map((r) => r.maxProduceStallMs)),
      maxConsumeGapMs: spread(ok.map((r) => r.maxConsumeGapMs)),
      previewMs: spread(ok.map((r) => r.previewMs)),
      idlePreviewMs: spread(ok.map((r) => r.idlePreviewMs ?? null)),
      lost: ok.reduce((n, r) => n + r.lost, 0),
      duplicated: ok.reduce((n, r) => n + r.duplicated, 0),
    };
  });
}

// A size with no finished run has NaN medians, which a results file read back holds as null.
const fmt = (x: number | null): string => (typeof x === "number" && Number.isFinite(x) ? String(Math.round(x)) : "–");
const cell = (s: Spread): string => `${fmt(s.median)} / ${fmt(s.max)}`;

/** The README's table: one row per size, "median / max" in each measure's cell. */
export function markdownTable(summary: readonly SizeSummary[]): string {
  const head =
    "| topics | runs (failed) | rate held, rec/s | blocked window, ms | our overhead, ms | of which fence verify, ms | produce stall, ms | consume gap, ms | preview under load, ms | preview before load, ms | lost | duplicated |";
  const rule = "|" + "---|".repeat(12);
  const rows = summary.map(
    (s) =>
      `| ${s.topics} | ${s.runs} (${s.failed}) | ${cell(s.achievedRate)} | ${cell(s.blockedWindowMs)} | ${cell(s.overheadMs)} | ${cell(s.fenceVerifyMs)} | ${cell(s.maxProduceStallMs)} | ${cell(s.maxConsumeGapMs)} | ${cell(s.previewMs)} | ${cell(s.idlePreviewMs)} | ${s.lost} | ${s.duplicated} |`,
  );
  return [head, rule, ...rows].join("\n");
}
