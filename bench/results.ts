/**
 * The results file: one object per run in `runs`, the per-size summary, the proxy cost and the goals, as
 * bench/results/<date>.json, copied to latest.json, with chart.svg beside them.
 */
import * as fs from "fs";
import * as path from "path";
import { chartSvg } from "./chart";
import { GoalCheck, checkGoals } from "./goals";
import type { Machine } from "./machine";
import type { BenchOptions } from "./options";
import type { ProxyCost } from "./proxyCost";
import type { BenchRun } from "./runRecord";
import { SizeSummary, summarize } from "./summary";

export interface BenchInput {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly wallMs: number;
  readonly machine: Machine;
  readonly options: BenchOptions;
  readonly runs: readonly BenchRun[];
  readonly proxy?: ProxyCost;
}

export interface BenchResults extends BenchInput {
  readonly schema: 1;
  readonly summary: readonly SizeSummary[];
  readonly goals: readonly GoalCheck[];
}

export function benchResults(input: BenchInput): BenchResults {
  const summary = summarize(input.runs);
  return { schema: 1, ...input, summary, goals: checkGoals(summary, input.runs, input.proxy) };
}

/** `2025-11-24T18-43-05Z.json`: sortable, and safe in any file system. */
export function resultsFileName(startedAt: string): string {
  return `${startedAt.replace(/\.\d+Z$/, "Z").replace(/:/g, "-")}.json`;
}

/** Writes the dated file, latest.json and chart.svg; returns their paths. */
export function writeResults(dir: string, input: BenchInput): string[] {
  const results = benchResults(input);
  fs.mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(results, null, 2) + "\n";
  const dated = path.join(dir, resultsFileName(input.startedAt));
  const latest = path.join(dir, "latest.json");
  const chart = path.join(dir, "chart.svg");
  fs.writeFileSync(dated, text);
  fs.writeFileSync(latest, text);
  fs.writeFileSync(chart, chartSvg(input.runs, `kafka-cutover bench, ${input.startedAt.slice(0, 10)}`));
  return [dated, latest, chart];
}
