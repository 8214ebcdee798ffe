/**
 * `npm run bench`: cuts groups of 1, 10 and 100 topics over under load on the local environment, each in a
 * fresh environment, and measures the Gateway proxy's cost; writes bench/results/<date>.json, latest.json
 * and chart.svg. Quick: `npm run bench -- --sizes 1,10 --repeats 1`.
 */
import * as path from "path";
import { cutoverUnderLoad } from "../local/cutoverUnderLoad";
import { LOCAL_TOPIC_PARTITIONS } from "../local/topics";
import { benchGroup } from "./benchGroup";
import { freshStack, stopStack } from "./freshStack";
import { describeMachine } from "./machine";
import { parseOptions } from "./options";
import type { ProxyCost } from "./proxyCost";
import { measureProxyCost } from "./proxyRun";
import { writeResults } from "./results";
import { BenchRun, failedRun, runRecord } from "./runRecord";

/** A run that hangs (a client stuck in its retries) is recorded as failed; stopping its environment frees it. */
const RUN_DEADLINE_MS = 8 * 60_000;

function withDeadline<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 60_000} min`)), ms);
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = new Date();
  const machine = describeMachine();
  const base = path.resolve(process.env.KAFKA_CUTOVER_BENCH_STATE ?? "/tmp/wt-bench-state");
  const stateDir = path.join(base, "env");
  const t0 = Date.now();
  const log = (line: string) => console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(5)} s] ${line}`);
  log(
    `machine: ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.cpuModel}, load ${machine.loadAverageAtStart}`,
  );
  if (LOCAL_TOPIC_PARTITIONS !== options.partitions)
    throw new Error(`the local environment creates ${LOCAL_TOPIC_PARTITIONS} partitions per topic`);
  const runs: BenchRun[] = [];
  let proxy: ProxyCost | undefined;
  // Written after every run, so a bench stopped part-way still leaves what it measured.
  const save = () =>
    writeResults(path.join(__dirname, "results"), {
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      wallMs: Date.now() - t0,
      machine,
      options,
      runs,
      ...(proxy ? { proxy } : {}),
    });
  try {
    // First, so a bench cut short still has it: it needs minutes, the cutovers tens of minutes.
    if (options.proxy) {
      proxy = await measureProxyCost(stateDir, options, log);
      save();
    }
    if (options.cutovers) {
      for (let repeat = 1; repeat <= options.repeats; repeat++) {
        for (const size of options.sizes) {
          const shape = { topics: size, partitions: options.partitions, rate: options.rate, repeat };
          const group = benchGroup(size, repeat);
          log(`run ${group.name}: fresh environment`);
          try {
            const stack = await freshStack(stateDir, group, log);
            log(`deployed in ${(stack.deployMs / 1000).toFixed(1)} s; cutting over under load`);
            const r = await withDeadline(
              RUN_DEADLINE_MS,
              `run ${group.name}`,
              cutoverUnderLoad({
                workDir: stack.workDir,
                endpoints: stack.endpoints,
                group: group.name,
                groupIndex: 0,
                topics: group.topics,
                consumerGroup: group.consumerGroup,
                ratePerSec: options.rate,
                producers: options.producers,
                recordsPerSend: options.recordsPerSend,
                idlePreview: true,
                settleMs: options.settleMs,
                stateDir,
                log: (line) => log(`  ${line}`),
              }),
            );
            const run = runRecord(shape, r);
            runs.push(run);
            log(
              `${group.name}: blocked ${run.blockedWindowMs} ms (overhead ${run.overheadMs} ms), stall ${run.maxProduceStallMs} ms, gap ${run.maxConsumeGapMs} ms, preview ${run.idlePreviewMs} ms before the load, ${run.previewMs} ms under it, rate ${run.achievedRate}/s, lost ${run.lost}`,
            );
            if (r.upCode !== 0) log(r.upOutput.split("\n").slice(-30).join("\n"));
          } catch (e) {
            const message = e instanceof Error ? e.message : String(e);
            log(`${group.name} failed: ${message}`);
            runs.push(failedRun(shape, message.split("\n")[0]));
          }
          save();
        }
      }
    }
    log(`results: ${save().join(", ")}`);
  } finally {
    await stopStack(stateDir).catch(() => undefined);
  }
}

main().catch((e: unknown) => {
  console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
