/**
 * Prints the README's results section from a results file (default bench/results/latest.json), so the
 * README quotes exactly what was committed:  npx ts-node --transpile-only bench/report.ts [file]
 */
import * as fs from "fs";
import * as path from "path";
import type { BenchResults } from "./results";
import { markdownTable } from "./summary";

export function reportMarkdown(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    `Run ${r.startedAt} → ${r.finishedAt} (${Math.round(r.wallMs / 60_000)} min), ${r.options.repeats} repeat(s) of ${r.options.sizes.join("/")} topics × ${r.options.partitions} partitions, asked rate ${r.options.rate} records/s per group (${r.options.producers} producer(s)).`,
    `Machine: ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.cpuModel}, ${m.kernel}, Node ${m.node}; 1-minute load average at start ${m.loadAverageAtStart}.`,
    "",
    "Cells are median / max over the finished runs of each size.",
    "",
    markdownTable(r.summary),
    "",
    "| goal | measured | met |",
    "|---|---|---|",
    ...r.goals.map((g) => `| ${g.goal} | ${g.measured} | ${g.met === undefined ? "–" : g.met ? "yes" : "no"} |`),
  ];
  if (r.proxy) {
    const p = r.proxy;
    const s = p.settings;
    lines.push(
      "",
      `Gateway proxy cost (${s.client}; ${s.recordBytes}-byte records, acks=all, no compression; throughput: ${s.inFlight} sends of ${s.batchRecords} records in flight; latency: one record per send at ${s.latencyRatePerSec}/s; ${s.seconds} s per measurement, medians of ${p.trials.length / 4} trials):`,
      "",
      "| target | records/s | MiB/s | p50 latency, ms | p99 latency, ms |",
      "|---|---|---|---|---|",
      `| direct to the source | ${p.direct.recordsPerSec} | ${p.direct.mbPerSec} | ${p.direct.p50Ms} | ${p.direct.p99Ms} |`,
      `| through the Gateway route | ${p.route.recordsPerSec} | ${p.route.mbPerSec} | ${p.route.p50Ms} | ${p.route.p99Ms} |`,
      "",
      `Route/direct throughput: ${p.throughputRatio}; p99 added by the route: ${p.p99AddedMs} ms.`,
    );
  }
  return lines.join("\n");
}

if (require.main === module) {
  const file = process.argv[2] ?? path.join(__dirname, "results", "latest.json");
  console.log(reportMarkdown(JSON.parse(fs.readFileSync(file, "utf8")) as BenchResults));
}
