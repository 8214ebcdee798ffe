/**
 * The Gateway proxy's cost (issue #6): the same kafkajs producer, same record size and settings, producing
 * straight to the source and through a passthrough route to it. Throughput: `inFlight` concurrent sends of
 * `batchRecords` records for a fixed time. Latency: one record per send, one at a time, at a fixed rate.
 */
import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import { saslOf } from "../local/load/readAll";
import { median, percentile } from "./stats";

export interface ProduceTarget {
  readonly name: "direct" | "route";
  readonly bootstrap: string;
  readonly username: string;
  readonly password: string;
}

export interface ProxySettings {
  readonly recordBytes: number;
  readonly batchRecords: number;
  readonly inFlight: number;
  /** Records/s of the latency measurement (one record per send). */
  readonly latencyRatePerSec: number;
  readonly seconds: number;
}

export const PROXY_SETTINGS: Omit<ProxySettings, "seconds"> = {
  recordBytes: 1_024,
  batchRecords: 100,
  inFlight: 4,
  latencyRatePerSec: 200,
};

export interface ProduceTrial {
  readonly target: "direct" | "route";
  readonly kind: "throughput" | "latency";
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface TargetCost {
  /** Medians over the trials. */
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface ProxyCost {
  readonly settings: ProxySettings & { readonly acks: "all"; readonly compression: "none"; readonly client: string };
  readonly direct: TargetCost;
  readonly route: TargetCost;
  /** Route throughput / direct throughput (1 = no cost). */
  readonly throughputRatio: number;
  /** Route p99 − direct p99, single-record sends. */
  readonly p99AddedMs: number;
  readonly trials: readonly ProduceTrial[];
}

/** Medians per target over the trials, and the route's cost relative to direct. */
export function summarizeProxy(settings: ProxySettings, trials: readonly ProduceTrial[]): ProxyCost {
  const cost = (target: "direct" | "route"): TargetCost => {
    const tp = trials.filter((t) => t.target === target && t.kind === "throughput");
    const lat = trials.filter((t) => t.target === target && t.kind === "latency");
    return {
      recordsPerSec: round(median(tp.map((t) => t.recordsPerSec))),
      mbPerSec: round(median(tp.map((t) => t.mbPerSec))),
      p50Ms: round(median(lat.map((t) => t.p50Ms))),
      p99Ms: round(median(lat.map((t) => t.p99Ms))),
    };
  };
  const direct = cost("direct");
  const route = cost("route");
  return {
    settings: { ...settings, acks: "all", compression: "none", client: "kafkajs 2.2.4, one producer" },
    direct,
    route,
    throughputRatio: Math.round((route.recordsPerSec / direct.recordsPerSec) * 1000) / 1000,
    p99AddedMs: round(route.p99Ms - direct.p99Ms),
    trials,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** One throughput or latency measurement against one target. */
export async function measureProduce(
  target: ProduceTarget,
  topic: string,
  kind: "throughput" | "latency",
  settings: ProxySettings,
): Promise<ProduceTrial> {
  const kafka = new Kafka({
    clientId: `bench-proxy-${target.name}`,
    brokers: [target.bootstrap],
    logLevel: logLevel.NOTHING,
    sasl: saslOf({ mechanism: "scram-sha-512", username: target.username, password: target.password }),
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
  await producer.connect();
  const value = Buffer.alloc(settings.recordBytes, 120);
  const latencies: number[] = [];
  let records = 0;
  const send = async (n: number): Promise<void> => {
    const at = performance.now();
    await producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: Array.from({ length: n }, () => ({ value })),
    });
    latencies.push(performance.now() - at);
    records += n;
  };
  try {
    await send(1); // metadata and connections, outside the measurement
    records = 0;
    latencies.length = 0;
    const start = performance.now();
    const end = start + settings.seconds * 1000;
    if (kind === "throughput") {
      await Promise.all(
        Array.from({ length: settings.inFlight }, async () => {
          while (performance.now() < end) await send(settings.batchRecords);
        }),
      );
    } else {
      const interval = 1000 / settings.latencyRatePerSec;
      for (let next = start; performance.now() < end; ) {
        await send(1);
        next += interval;
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
    const seconds = (performance.now() - start) / 1000;
    return {
      target: target.name,
      kind,
      records,
      seconds: round(seconds),
      recordsPerSec: round(records / seconds),
      mbPerSec: round((records * settings.recordBytes) / seconds / 1024 ** 2),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
    };
  } finally {
    await producer.disconnect();
  }
}
