/**
 * One cutover of a local-stack group under load, end to end, as an operator and the group's applications
 * would live it: the stack is up with the group on the source, its SCRAM clients are registered with the
 * Gateway, producers and a consumer group run through the route, the group's `cutover` flips to true,
 * `pulumi preview` shows the preflight, `pulumi up` cuts over, and the clients keep going. Then the
 * clusters are read back and every guarantee is checked. Used by `npm run demo`, the tests and bench/.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import { KubernetesClient } from "../clients/kubernetes";
import type { MigrationGroupSummary } from "../components/migrationGroup";
import { LiveRoute } from "../dynamic/cutover/liveRoute";
import {
  Acked,
  Stored,
  findDuplicates,
  findRewound,
  findLost,
  findReordered,
  findSplit,
  longestGap,
} from "./load/checkers";
import { adminLogins, committedOffsets, readAll } from "./load/readAll";
import { startKcatWorkload } from "./load/kcatWorkload";
import { WorkloadReport, startWorkload } from "./load/workload";
import { registerScramCredential } from "./kafka/registerScram";
import { REGISTRATION_ROUTE } from "./routes";
import { LocalEndpoints, LOCAL_STACK, pulumiEnv, runPulumi, setGroupCutover } from "./stack";
import { projectRoot } from "./toolchain/paths";
import { localStackGateway } from "./topics";
import { sleep } from "../clients/retry";

export interface CutoverRunOptions {
  readonly workDir: string;
  readonly endpoints: LocalEndpoints;
  readonly group: string;
  readonly groupIndex: number;
  readonly topics: readonly string[];
  readonly consumerGroup: string;
  readonly ratePerSec: number;
  /** Producers sharing the rate (default 1): one producer has one send in flight. */
  readonly producers?: number;
  /** Records per send (default 1). */
  readonly recordsPerSend?: number;
  /** Also time a preview of the cutover before the load starts (`idlePreviewMs`). */
  readonly idlePreview?: boolean;
  /** How long the load runs before and after the cutover. */
  readonly settleMs?: number;
  readonly stateDir?: string;
  readonly log?: (line: string) => void;
  /** Also run librdkafka clients (kcat): a producer on one partition of `topic`, a consumer in `consumerGroup`. */
  readonly kcat?: { readonly topic: string; readonly consumerGroup: string; readonly ratePerSec: number };
}

/** What one client library's applications saw, checked against where their data now lives. */
export interface ClientResult {
  readonly acknowledged: number;
  readonly consumed: number;
  readonly failedSends: number;
  readonly lost: Acked[];
  /** Acknowledged records the consumer group never received (it must skip nothing). */
  readonly skipped: Acked[];
  /** Records the consumer group received more than once (at-least-once: only what was uncommitted at the fence). */
  readonly redelivered: number;
  /** Re-deliveries of records that were committed before the fence (a rewind): must be none. */
  readonly rewound: string[];
  readonly maxProduceStallMs: number;
  readonly maxConsumeGapMs: number;
  /** Acknowledged and consumed after `pulumi up` returned: the clients really crossed to the destination. */
  readonly ackedAfterCutover: number;
  readonly consumedAfterCutover: number;
}

/** Totals over every client library; `byClient` has each one's own view. */
export interface CutoverRunResult extends ClientResult {
  readonly byClient: { readonly kafkajs: ClientResult; readonly kcat?: ClientResult };
  readonly duplicated: number;
  readonly reordered: string[];
  readonly split: string[];
  readonly blockedWindowMs?: number;
  readonly previewOutput: string;
  readonly upOutput: string;
  readonly upCode: number;
  readonly previewMs: number;
  /** With `idlePreview`: the same preview, timed before the load started. */
  readonly idlePreviewMs?: number;
  /** When each record was acknowledged, to measure the rate the producers really held. */
  readonly ackedAt: number[];
  /** Milliseconds since the epoch of each phase, for the bench. */
  readonly times: {
    readonly loadStartedAt: number;
    readonly loadReadyAt: number;
    readonly previewStartedAt: number;
    readonly upStartedAt: number;
    readonly upEndedAt: number;
    readonly loadStoppedAt: number;
  };
  /** The group's entry in `pulumi stack output migrationGroups` after the up. */
  readonly stackOutput?: MigrationGroupSummary;
}

export async function cutoverUnderLoad(opts: CutoverRunOptions): Promise<CutoverRunResult> {
  const log = opts.log ?? (() => undefined);
  const app = opts.endpoints.apps?.[opts.group];
  const route = opts.endpoints.gateway?.routes[opts.group];
  const registration = opts.endpoints.gateway?.routes[REGISTRATION_ROUTE];
  if (!app || !route || !registration)
    throw new Error(`the local environment has no app principal or route for group ${opts.group}`);

  await gatewayServes(opts.endpoints);
  let idlePreviewMs: number | undefined;
  if (opts.idlePreview) {
    // The preflight's own speed, before the load generator competes with it for the CPU.
    setGroupCutover(opts.workDir, opts.groupIndex, true);
    const started = Date.now();
    const code = await runPulumi(opts.workDir, ["preview"], () => undefined);
    idlePreviewMs = Date.now() - started;
    setGroupCutover(opts.workDir, opts.groupIndex, false);
    if (code !== 0) throw new Error(`pulumi preview before the load failed (${code})`);
    log(`pulumi preview before the load: ${idlePreviewMs} ms`);
  }
  log(`registering ${app.username}'s SCRAM credentials with the Gateway through ${registration}`);
  await registerScramCredential({
    bootstrap: registration,
    admin: { username: app.username, password: app.apiSecret },
    username: app.username,
    password: app.password,
    ...(opts.stateDir ? { stateDir: opts.stateDir } : {}),
  });

  log(
    `starting producers (${opts.ratePerSec} records/s) and consumer group ${opts.consumerGroup} through route ${route} as ${app.username}`,
  );
  const workload = await startWorkload({
    bootstrap: route,
    username: app.username,
    password: app.password,
    mechanism: "scram-sha-512",
    topics: opts.topics,
    consumerGroup: opts.consumerGroup,
    ratePerSec: opts.ratePerSec,
    ...(opts.producers !== undefined ? { producers: opts.producers } : {}),
    ...(opts.recordsPerSend !== undefined ? { recordsPerSend: opts.recordsPerSend } : {}),
  });
  const kcat = opts.kcat
    ? startKcatWorkload({
        bootstrap: route,
        username: app.username,
        password: app.password,
        mechanism: "SCRAM-SHA-512",
        topic: opts.kcat.topic,
        partition: 0,
        consumerGroup: opts.kcat.consumerGroup,
        ratePerSec: opts.kcat.ratePerSec,
      })
    : undefined;
  if (kcat)
    log(`starting kcat (librdkafka) producer on ${opts.kcat?.topic} and consumer group ${opts.kcat?.consumerGroup}`);
  await Promise.all([workload.ready, kcat?.ready]);
  const loadReadyAt = Date.now();
  await sleep(opts.settleMs ?? 3_000);

  setGroupCutover(opts.workDir, opts.groupIndex, true);
  log(`set kafka-cutover:groups[${opts.groupIndex}].cutover true`);

  log("pulumi preview (the preflight)");
  let previewOutput = "";
  const previewStart = Date.now();
  const previewCode = await runPulumi(opts.workDir, ["preview", "--diff"], (c) => {
    previewOutput += c;
  });
  const previewMs = Date.now() - previewStart;
  if (previewCode !== 0) {
    await Promise.all([workload.stop(), kcat?.stop()]);
    throw new Error(`pulumi preview failed (${previewCode}):\n${previewOutput}`);
  }
  log(`pulumi up (preview took ${previewMs} ms)`);
  let upOutput = "";
  const upStartedAt = Date.now();
  const upCode = await runPulumi(opts.workDir, ["up", "--yes", "--skip-preview"], (c) => {
    upOutput += c;
  });
  const upEndedAt = Date.now();
  await sleep(opts.settleMs ?? 3_000);
  log("stopping the load; the consumers drain what was acknowledged");
  const [report, kcatReport] = await Promise.all([workload.stop(), kcat?.stop()]);
  log(`reading both clusters back (${report.acked.length} acknowledged, ${report.consumed.length} consumed)`);

  const logins = adminLogins(opts.endpoints);
  const [onDestination, onSource] = await Promise.all([
    readAll(logins.destination, opts.topics),
    readAll(logins.source, opts.topics),
  ]);
  const outputs = spawnSync("pulumi", ["stack", "output", "--json", "--stack", LOCAL_STACK], {
    cwd: projectRoot,
    env: pulumiEnv(opts.workDir),
    encoding: "utf8",
  });
  const stackOutput = (
    JSON.parse(outputs.stdout || "{}") as { migrationGroups?: Record<string, MigrationGroupSummary> }
  ).migrationGroups?.[opts.group];
  const blockedWindowMs = stackOutput?.blockedWindowMs;
  const where: Stored[] = upCode === 0 ? onDestination : onSource;
  // Once fenced, no commit reaches the source: its committed offsets now are those at the fence.
  const sourceLogin = logins.source;
  const kafkajs = checkClient(report, where, upEndedAt, await committedOffsets(sourceLogin, opts.consumerGroup));
  const librdkafka =
    kcatReport && opts.kcat
      ? checkClient(kcatReport, where, upEndedAt, await committedOffsets(sourceLogin, opts.kcat.consumerGroup))
      : undefined;
  const all = [kafkajs, ...(librdkafka ? [librdkafka] : [])];
  return {
    acknowledged: sum(all, (c) => c.acknowledged),
    consumed: sum(all, (c) => c.consumed),
    failedSends: sum(all, (c) => c.failedSends),
    lost: all.flatMap((c) => c.lost),
    skipped: all.flatMap((c) => c.skipped),
    redelivered: sum(all, (c) => c.redelivered),
    rewound: all.flatMap((c) => c.rewound),
    maxProduceStallMs: Math.max(...all.map((c) => c.maxProduceStallMs)),
    maxConsumeGapMs: Math.max(...all.map((c) => c.maxConsumeGapMs)),
    ackedAfterCutover: sum(all, (c) => c.ackedAfterCutover),
    consumedAfterCutover: sum(all, (c) => c.consumedAfterCutover),
    byClient: { kafkajs, ...(librdkafka ? { kcat: librdkafka } : {}) },
    duplicated: findDuplicates(where).length,
    reordered: findReordered(where),
    split: upCode === 0 ? findSplit(onSource, onDestination) : [],
    ...(blockedWindowMs !== undefined ? { blockedWindowMs } : {}),
    previewOutput,
    upOutput,
    upCode,
    previewMs,
    ...(idlePreviewMs !== undefined ? { idlePreviewMs } : {}),
    ackedAt: report.acked.map((a) => a.ackedAt),
    times: {
      loadStartedAt: report.startedAt,
      loadReadyAt,
      previewStartedAt: previewStart,
      upStartedAt,
      upEndedAt,
      loadStoppedAt: report.stoppedAt,
    },
    ...(stackOutput ? { stackOutput } : {}),
  };
}

/** One client library's guarantees: nothing acknowledged lost, nothing skipped by its consumer group. */
function checkClient(
  report: WorkloadReport,
  where: readonly Stored[],
  upEndedAt: number,
  committedAtFence: ReadonlyMap<string, number>,
): ClientResult {
  const consumedKeys = report.consumed.map((c) => `${c.topic}/${c.producer}/${c.seq}`);
  const consumedSet = new Set(consumedKeys);
  return {
    acknowledged: report.acked.length,
    consumed: report.consumed.length,
    failedSends: report.failedSends,
    lost: findLost(report.acked, where),
    skipped: report.acked.filter((a) => !consumedSet.has(`${a.topic}/${a.producer}/${a.seq}`)),
    redelivered: consumedKeys.length - consumedSet.size,
    rewound: findRewound(report.consumed, committedAtFence),
    maxProduceStallMs: report.maxProduceStallMs,
    maxConsumeGapMs: longestGap(report.consumeTimes, report.startedAt, report.stoppedAt),
    ackedAfterCutover: report.acked.filter((a) => a.ackedAt > upEndedAt).length,
    consumedAfterCutover: report.consumed.filter((c) => c.at > upEndedAt).length,
  };
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  return items.reduce((n, t) => n + f(t), 0);
}

/**
 * `pulumi up` returns once the Gateway CR is stored, not once the Gateway serves it: wait for the Gateway to
 * report the stored generation applied, so a rejected CR fails here with the Gateway's reason instead of as a
 * client timeout later.
 */
async function gatewayServes(endpoints: LocalEndpoints, timeoutMs = 30_000): Promise<void> {
  const kubeconfig = endpoints.kubernetes?.kubeconfig;
  if (!kubeconfig) throw new Error("the local environment has no kubernetes.kubeconfig in endpoints.json");
  const { namespace, name } = localStackGateway();
  const route = new LiveRoute(
    new KubernetesClient({ kubeconfig: fs.readFileSync(kubeconfig, "utf8") }),
    namespace,
    name,
    REGISTRATION_ROUTE,
  );
  const live = await route.read();
  if (!live) throw new Error(`Gateway ${namespace}/${name} has no route ${REGISTRATION_ROUTE}: was pulumi up run?`);
  await route.waitApplied(live.view.generation, Date.now() + timeoutMs, () => false);
}
