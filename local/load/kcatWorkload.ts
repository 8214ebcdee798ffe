/**
 * The same application traffic as workload.ts, from librdkafka's side: one `kcat -P` producer (idempotent)
 * fed `{producer, seq}` lines at a steady rate, and one `kcat -G` consumer in its own consumer group.
 *
 * kcat prints a delivery report per message but not which message it was. librdkafka emits delivery
 * reports in produce order for a partition, so the producer writes to one partition and the n-th report
 * (delivered or failed) belongs to the n-th line sent.
 */
import { ChildProcessWithoutNullStreams, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { kcatEnv } from "../kafka/kcat";
import type { Acked, Consumed } from "./checkers";
import { drain } from "./drain";
import type { WorkloadReport } from "./workload";
import { sleep } from "../../clients/retry";
import { onLines } from "./lines";

export interface KcatWorkloadOptions {
  /** The route's bootstrap, host:port. */
  readonly bootstrap: string;
  readonly username: string;
  readonly password: string;
  readonly mechanism: "SCRAM-SHA-512" | "PLAIN";
  readonly topic: string;
  readonly partition: number;
  readonly consumerGroup: string;
  readonly ratePerSec: number;
}

export interface KcatWorkload {
  readonly ready: Promise<void>;
  stop(): Promise<WorkloadReport>;
}

/** How often the kcat consumer commits what it has consumed (librdkafka's default is 5 s). */
export const KCAT_AUTO_COMMIT_MS = 1_000;

const DELIVERED = /Message delivered to partition (\d+) \(offset (-?\d+)\)/;
const FAILED = /Delivery failed for message/;

/** One delivery report line of kcat -vv, in order; `undefined` for any other line. */
export function parseDeliveryReport(line: string): "delivered" | "failed" | undefined {
  if (DELIVERED.test(line)) return "delivered";
  if (FAILED.test(line)) return "failed";
  return undefined;
}

/** One line of the consumer's `-f '%t %p %o %s\n'` output, if it carries a workload record. */
export function parseConsumedLine(line: string): Omit<Consumed, "at"> | undefined {
  const m = /^(\S+) (\d+) (\d+) (.*)$/.exec(line);
  if (!m) return undefined;
  try {
    const v = JSON.parse(m[4]) as { producer?: unknown; seq?: unknown };
    return typeof v.producer === "string" && typeof v.seq === "number"
      ? { topic: m[1], partition: Number(m[2]), offset: Number(m[3]), producer: v.producer, seq: v.seq }
      : undefined;
  } catch {
    return undefined;
  }
}

export function startKcatWorkload(opts: KcatWorkloadOptions): KcatWorkload {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kcat-load-"));
  const conf = path.join(dir, "client.conf");
  // Credentials in a 0600 file, never on a command line.
  fs.writeFileSync(
    conf,
    [
      `bootstrap.servers=${opts.bootstrap}`,
      "security.protocol=SASL_PLAINTEXT",
      `sasl.mechanisms=${opts.mechanism}`,
      `sasl.username=${opts.username}`,
      `sasl.password=${opts.password}`,
      // Like any application: retry through a cutover's retriable errors, reconnect quickly.
      "reconnect.backoff.ms=50",
      "reconnect.backoff.max.ms=500",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  const startedAt = Date.now();
  const name = `kcat-${startedAt}`;
  const sentAt: number[] = [];
  const acked: Acked[] = [];
  const consumed: WorkloadReport["consumed"] = [];
  const consumeTimes: number[] = [];
  let reports = 0;
  let failedSends = 0;
  let maxProduceStallMs = 0;
  let stopping = false;
  let firstAck!: () => void;
  const firstAckP = new Promise<void>((r) => (firstAck = r));
  let firstConsumed!: () => void;
  const firstConsumedP = new Promise<void>((r) => (firstConsumed = r));

  const producer = spawnKcat([
    "-P",
    "-F",
    conf,
    "-t",
    opts.topic,
    "-p",
    String(opts.partition),
    "-X",
    "enable.idempotence=true",
    "-X",
    "linger.ms=5",
    "-E", // kcat alone exits when every broker connection drops (the switch closes them); applications don't
    "-v",
    "-v",
  ]);
  producer.stdout.resume(); // kcat -P prints nothing there; read it anyway so it can never block
  onLines(producer.stderr, (line) => {
    const report = parseDeliveryReport(line);
    if (!report) return;
    const seq = reports++;
    const at = Date.now();
    if (report === "failed") {
      failedSends++; // not acknowledged: the application would retry it; it is not owed
      return;
    }
    maxProduceStallMs = Math.max(maxProduceStallMs, at - (sentAt[seq] ?? at));
    acked.push({ topic: opts.topic, producer: name, seq, ackedAt: at });
    firstAck();
  });

  const consumer = spawnKcat([
    "-C",
    "-E",
    "-u", // unbuffered: a record's line arrives when it is consumed, so consume gaps are measured right
    "-F",
    conf,
    "-G",
    opts.consumerGroup,
    "-X",
    "auto.offset.reset=earliest",
    "-X",
    `auto.commit.interval.ms=${KCAT_AUTO_COMMIT_MS}`,
    "-f",
    "%t %p %o %s\\n",
    opts.topic,
  ]);
  onLines(consumer.stdout, (line) => {
    const r = parseConsumedLine(line);
    if (!r || r.producer !== name) return;
    const at = Date.now();
    consumed.push({ ...r, at });
    consumeTimes.push(at);
    firstConsumed();
  });

  const intervalMs = 1000 / opts.ratePerSec;
  const feeding = (async () => {
    let next = Date.now();
    for (let seq = 0; !stopping; seq++) {
      sentAt[seq] = Date.now();
      producer.stdin.write(`${JSON.stringify({ producer: name, seq })}\n`);
      next += intervalMs;
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      else next = Date.now();
    }
  })();

  return {
    ready: Promise.all([firstAckP, firstConsumedP]).then(() => undefined),
    async stop() {
      stopping = true;
      await feeding;
      const stoppedAt = Date.now();
      // Closing stdin makes kcat flush what is in flight and exit once every message has a report.
      producer.stdin.end();
      await exited(producer, 60_000);
      await drain(acked, consumed);
      consumer.kill("SIGTERM"); // kcat leaves the group cleanly on SIGTERM
      await exited(consumer, 15_000);
      fs.rmSync(dir, { recursive: true, force: true });
      return { acked, failedSends, consumed, maxProduceStallMs, startedAt, stoppedAt, consumeTimes };
    },
  };
}

function spawnKcat(args: string[]): ChildProcessWithoutNullStreams {
  const debug = process.env.KCAT_DEBUG_DIR;
  if (debug && process.env.KCAT_DEBUG && args.includes("-C")) args = ["-d", process.env.KCAT_DEBUG, ...args];
  const child = spawn("kcat", args, { env: kcatEnv(), stdio: ["pipe", "pipe", "pipe"] });
  // kcat writes a line per partition end and per error: an unread stderr pipe fills (~64 KiB) and then
  // blocks kcat itself, so a consumer stops mid-run. Always read it.
  if (debug)
    child.stderr.pipe(
      fs.createWriteStream(path.join(debug, `kcat-${args.includes("-C") ? "C" : "P"}-${Date.now()}.log`)),
    );
  else child.stderr.resume();
  child.on("error", () => undefined); // a missing kcat shows as no acks; the caller checks kcat exists
  return child;
}

function exited(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
