/**
 * The same application traffic as workload.ts and kcatWorkload.ts, from Kafka's Java client, which most MSK
 * applications use: one idempotent producer and one consumer in its own group, each a JVM running
 * local/load/java (`Workload produce|consume`) built against the kafka-clients version asked for. Both print
 * a JSON line per outcome (local/load/README.md), so every acknowledgement is tied to its record.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import type { Acked, Consumed } from "./checkers";
import { drain } from "./drain";
import { ensureJavaWorkload, type JavaClientVersion } from "./javaBuild";
import type { WorkloadReport } from "./workload";
import { onLines } from "./lines";

export { JAVA_CLIENT_VERSIONS, type JavaClientVersion } from "./javaBuild";

export type GroupProtocol = "classic" | "consumer";

export interface JavaWorkloadOptions {
  /** kafka-clients version: "4.1.1" (the brokers') or "3.9.1" (the 3.x line). */
  readonly version: JavaClientVersion;
  /** `group.protocol`: "classic" (default) or "consumer" (KIP-848, 4.x clients only). */
  readonly groupProtocol?: GroupProtocol;
  /** host:port, e.g. a Gateway route's bootstrap. */
  readonly bootstrap: string;
  /** Default SASL_PLAINTEXT. */
  readonly securityProtocol?: "PLAINTEXT" | "SASL_PLAINTEXT" | "SASL_SSL" | "SSL";
  readonly mechanism?: "SCRAM-SHA-512" | "SCRAM-SHA-256" | "PLAIN";
  readonly username?: string;
  readonly password?: string;
  /** CA certificate (PEM file) to trust for SSL / SASL_SSL. */
  readonly caPem?: string;
  readonly topic: string;
  /** Produce to this partition only (default: the default partitioner, all partitions). */
  readonly partition?: number;
  readonly consumerGroup: string;
  /** Records per second. */
  readonly ratePerSec: number;
  /** Stop producing after this many records (default: until stop()). */
  readonly count?: number;
  /** The consumer's auto-commit interval; default: commitSync after each non-empty poll. */
  readonly commitIntervalMs?: number;
  /** Extra client properties (`--config key=value`), e.g. `delivery.timeout.ms`. */
  readonly producerConfig?: Readonly<Record<string, string>>;
  readonly consumerConfig?: Readonly<Record<string, string>>;
}

export interface ClientError {
  readonly error: string;
  readonly fatal: boolean;
  readonly at: number;
}

export interface JavaWorkloadReport extends WorkloadReport {
  /** Sends the producer reported failed, with the exception (not owed: the application would retry them). */
  readonly failures: { readonly seq: number; readonly error: string; readonly at: number }[];
  /** Every exception poll/commit threw, fatal or not; a fatal one ended the consumer. */
  readonly consumerErrors: ClientError[];
  /** Errors the producer printed (it could not start, e.g. a bad config). */
  readonly producerErrors: ClientError[];
  /** The first fatal consumer error, or how the consumer died if it died without printing one. */
  readonly consumerFatal?: string;
  readonly exits: { readonly producer: ExitStatus; readonly consumer: ExitStatus };
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines of its stderr (the client's own warnings). */
  readonly stderrTail: string;
}

export interface JavaWorkload {
  /** Resolves at the first acknowledged and the first consumed record; rejects if either JVM dies first. */
  readonly ready: Promise<void>;
  /** Resolves when the producer has exited: `count` records sent and settled, or after stop(). */
  readonly produced: Promise<void>;
  stop(): Promise<JavaWorkloadReport>;
}

/** The JVM's flags: a short-lived client on a 2-core machine wants a fast start more than peak speed. */
const JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xss512k"];
const PASSWORD_ENV = "KAFKA_CUTOVER_WORKLOAD_PASSWORD";
const STDERR_TAIL = 16 * 1024;

/** One JSON line of the Java workload, as it prints them (local/load/README.md). */
export type WorkloadLine =
  | { type: "started"; mode: "produce" | "consume"; clientVersion: string; at: number }
  | {
      type: "acked";
      producer: string;
      seq: number;
      topic: string;
      partition: number;
      offset: number;
      sentAt: number;
      at: number;
    }
  | { type: "failed"; producer: string; seq: number; error: string; sentAt: number; at: number }
  | {
      type: "consumed";
      topic: string;
      partition: number;
      offset: number;
      producer: string | null;
      seq: number | null;
      at: number;
    }
  | { type: "committed"; offsets: { topic: string; partition: number; offset: number }[]; at: number }
  | { type: "assigned" | "revoked"; partitions: { topic: string; partition: number }[]; at: number }
  | { type: "error"; error: string; fatal: boolean; at: number }
  | { type: "stopped"; mode: "produce" | "consume"; at: number };

export function parseWorkloadLine(line: string): WorkloadLine | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const v = JSON.parse(line) as { type?: unknown };
    return typeof v.type === "string" ? (v as WorkloadLine) : undefined;
  } catch {
    return undefined;
  }
}

/** The arguments for one mode, connection included (the password goes through PASSWORD_ENV, never argv). */
export function workloadArgs(opts: JavaWorkloadOptions, mode: "produce" | "consume", producerName: string): string[] {
  const args: string[] = [mode, "--topic", opts.topic, "--bootstrap", opts.bootstrap];
  args.push("--security-protocol", opts.securityProtocol ?? "SASL_PLAINTEXT");
  if (opts.mechanism) args.push("--sasl-mechanism", opts.mechanism);
  if (opts.username !== undefined) args.push("--username", opts.username, "--password-env", PASSWORD_ENV);
  if (opts.caPem) args.push("--ca-pem", opts.caPem);
  const extra = mode === "produce" ? opts.producerConfig : opts.consumerConfig;
  for (const [k, v] of Object.entries(extra ?? {})) args.push("--config", `${k}=${v}`);
  if (mode === "produce") {
    args.push("--producer", producerName, "--rate", String(opts.ratePerSec));
    if (opts.partition !== undefined) args.push("--partition", String(opts.partition));
    if (opts.count !== undefined) args.push("--count", String(opts.count));
  } else {
    args.push("--group", opts.consumerGroup, "--group-protocol", opts.groupProtocol ?? "classic");
    if (opts.commitIntervalMs !== undefined) args.push("--commit-interval-ms", String(opts.commitIntervalMs));
  }
  return args;
}

/**
 * Starts the producer and the consumer (building the workload for `opts.version` first if needed). Throws at
 * once for KIP-848 on a 3.x client, which has no GA `group.protocol=consumer`.
 */
export async function startJavaWorkload(opts: JavaWorkloadOptions): Promise<JavaWorkload> {
  if (opts.groupProtocol === "consumer" && opts.version.startsWith("3."))
    throw new Error(
      `group.protocol=consumer (KIP-848) needs kafka-clients 4.x; ${opts.version} has only the classic protocol`,
    );
  const build = await ensureJavaWorkload(opts.version);
  const startedAt = Date.now();
  const name = `java-${opts.version}-${startedAt}-${randomBytes(3).toString("hex")}`;
  const acked: Acked[] = [];
  const consumed: Consumed[] = [];
  const consumeTimes: number[] = [];
  const failures: JavaWorkloadReport["failures"] = [];
  const consumerErrors: ClientError[] = [];
  const producerErrors: ClientError[] = [];
  let maxProduceStallMs = 0;

  let firstAck!: () => void;
  let firstConsumed!: () => void;
  let died!: (err: Error) => void;
  const firstAckP = new Promise<void>((r) => (firstAck = r));
  const firstConsumedP = new Promise<void>((r) => (firstConsumed = r));
  const diedP = new Promise<never>((_, reject) => (died = reject));
  const ready = Promise.race([Promise.all([firstAckP, firstConsumedP]).then(() => undefined), diedP]);
  ready.catch(() => undefined); // a caller that never awaits ready still learns of a death from stop()

  const env = { ...process.env, ...(opts.password !== undefined ? { [PASSWORD_ENV]: opts.password } : {}) };
  const spawnJvm = (mode: "produce" | "consume") =>
    spawnWorkload(build.classpath, build.mainClass, workloadArgs(opts, mode, name), env, mode);

  const producer = spawnJvm("produce");
  onLines(producer.child.stdout, (line) => {
    const l = parseWorkloadLine(line);
    if (l?.type === "acked") {
      maxProduceStallMs = Math.max(maxProduceStallMs, l.at - l.sentAt);
      acked.push({ topic: l.topic, producer: l.producer, seq: l.seq, ackedAt: l.at });
      firstAck();
    } else if (l?.type === "failed") failures.push({ seq: l.seq, error: l.error, at: l.at });
    else if (l?.type === "error") producerErrors.push({ error: l.error, fatal: l.fatal, at: l.at });
  });

  const consumer = spawnJvm("consume");
  let consumerFatal: string | undefined;
  onLines(consumer.child.stdout, (line) => {
    const l = parseWorkloadLine(line);
    if (l?.type === "consumed") {
      if (l.producer !== name || l.seq === null) return;
      consumed.push({
        topic: l.topic,
        partition: l.partition,
        offset: l.offset,
        producer: l.producer,
        seq: l.seq,
        at: l.at,
      });
      consumeTimes.push(l.at);
      firstConsumed();
    } else if (l?.type === "error") {
      consumerErrors.push({ error: l.error, fatal: l.fatal, at: l.at });
      if (l.fatal) {
        consumerFatal ??= l.error;
        // The JVM exits right after; the caller need not wait for its close.
        died(new Error(`Java consumer (kafka-clients ${opts.version}) died: ${l.error}`));
      }
    }
  });

  let stopping = false;
  void consumer.exit.then((s) => {
    if (s.code === 0 && stopping) return;
    consumerFatal ??= `the consumer exited (code ${s.code}, signal ${s.signal}) without reporting an error: ${s.stderrTail}`;
    died(new Error(`Java consumer (kafka-clients ${opts.version}) died: ${consumerFatal}`));
  });
  void producer.exit.then((s) => {
    if (acked.length > 0 || stopping) return;
    const why = producerErrors[0]?.error ?? failures[0]?.error ?? s.stderrTail;
    died(new Error(`Java producer (kafka-clients ${opts.version}) exited before any acknowledgement: ${why}`));
  });

  return {
    ready,
    produced: producer.exit.then(() => undefined),
    async stop() {
      const stoppedAt = Date.now();
      stopping = true;
      // Closing stdin makes the producer stop sending, flush what is in flight and exit once every record
      // has its outcome (delivery.timeout.ms, 120 s by default, bounds each one).
      producer.child.stdin.end();
      const producerExit = await exitWithin(producer, 150_000);
      // Let the consumer catch up with what was acknowledged, unless it is already dead.
      await Promise.race([drain(acked, consumed), consumer.exit]);
      consumer.child.stdin.end();
      const consumerExit = await exitWithin(consumer, 30_000);
      return {
        acked,
        failedSends: failures.length,
        consumed,
        maxProduceStallMs,
        startedAt,
        stoppedAt,
        consumeTimes,
        failures,
        consumerErrors,
        producerErrors,
        consumerFatal,
        exits: { producer: producerExit, consumer: consumerExit },
      };
    },
  };
}

interface Jvm {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exit: Promise<ExitStatus>;
}

function spawnWorkload(
  classpath: string,
  mainClass: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  mode: string,
): Jvm {
  const child = spawn("java", [...JVM_FLAGS, "-cp", classpath, mainClass, ...args], {
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  // Every pipe is read for as long as the child runs: a full, unread pipe blocks the client (DESIGN.md,
  // Known issues). stderr keeps a tail for reports, and goes to a file too when JAVA_WORKLOAD_DEBUG_DIR is set.
  let stderrTail = "";
  const debugDir = process.env.JAVA_WORKLOAD_DEBUG_DIR;
  const debug = debugDir ? fs.createWriteStream(path.join(debugDir, `java-${mode}-${Date.now()}.log`)) : undefined;
  child.stderr.on("data", (d: Buffer) => {
    stderrTail = (stderrTail + d.toString()).slice(-STDERR_TAIL);
    debug?.write(d);
  });
  child.stdin.on("error", () => undefined); // the JVM may exit (fatal error) before we close its stdin
  const exit = new Promise<ExitStatus>((resolve) => {
    child.on("error", (err) => resolve({ code: null, signal: null, stderrTail: `${err.message}\n${stderrTail}` }));
    child.on("close", (code, signal) => {
      debug?.end();
      resolve({ code, signal, stderrTail });
    });
  });
  return { child, exit };
}

async function exitWithin(jvm: Jvm, timeoutMs: number): Promise<ExitStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  const done = await Promise.race([jvm.exit, timedOut]);
  clearTimeout(timer);
  if (done) return done;
  jvm.child.kill("SIGKILL");
  return jvm.exit;
}
