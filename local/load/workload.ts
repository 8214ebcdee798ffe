/**
 * Application traffic for the demo, the tests and the benchmark: idempotent producers sending at a steady
 * rate and a consumer group following, all through a Gateway route, as the group's applications would.
 * Records carry `{producer, seq}` so every acknowledged one can be found again.
 */
import { CompressionTypes, Consumer, Kafka, Producer, logLevel } from "kafkajs";
import type { Acked, Consumed } from "./checkers";
import { drain } from "./drain";
import { saslOf } from "./readAll";

export interface WorkloadOptions {
  /** The route's bootstrap, host:port. */
  readonly bootstrap: string;
  readonly username: string;
  readonly password: string;
  readonly mechanism: "scram-sha-512" | "plain";
  readonly topics: readonly string[];
  readonly consumerGroup: string;
  /** Records per second, over all topics. */
  readonly ratePerSec: number;
  readonly producers?: number;
  /**
   * Records per send (default 1), all to one topic: as a producer with a linger gathers a batch. A send is
   * one produce request, so this is how a few producers reach thousands of records/s on a small machine.
   */
  readonly recordsPerSend?: number;
}

export interface WorkloadReport {
  readonly acked: Acked[];
  readonly failedSends: number;
  readonly consumed: Consumed[];
  /** Send → ack, the longest. */
  readonly maxProduceStallMs: number;
  readonly startedAt: number;
  readonly stoppedAt: number;
  readonly consumeTimes: number[];
}

export interface Workload {
  stop(): Promise<WorkloadReport>;
  /** Resolves once the consumer has joined and producers have had a first ack. */
  readonly ready: Promise<void>;
}

export async function startWorkload(opts: WorkloadOptions): Promise<Workload> {
  const kafka = new Kafka({
    clientId: `workload-${opts.consumerGroup}`,
    brokers: [opts.bootstrap],
    logLevel: logLevel.NOTHING,
    sasl: saslOf(opts),
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    // Like any application: keep retrying through a cutover's retriable errors.
    retry: { retries: 1_000, initialRetryTime: 50, maxRetryTime: 500 },
  });
  const acked: Acked[] = [];
  const consumed: WorkloadReport["consumed"] = [];
  const consumeTimes: number[] = [];
  let failedSends = 0;
  let maxProduceStallMs = 0;
  let stopping = false;
  const startedAt = Date.now();

  const consumer: Consumer = kafka.consumer({
    groupId: opts.consumerGroup,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    retry: { retries: 1_000, initialRetryTime: 50, maxRetryTime: 500 },
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [...opts.topics], fromBeginning: true });
  let joined!: () => void;
  const joinedP = new Promise<void>((r) => (joined = r));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const v = JSON.parse(message.value?.toString() ?? "{}") as { producer?: string; seq?: number };
      if (v.producer === undefined || v.seq === undefined) return;
      const at = Date.now();
      consumed.push({ topic, partition, offset: Number(message.offset), producer: v.producer, seq: v.seq, at });
      consumeTimes.push(at);
    },
  });

  const producers: Producer[] = [];
  const loops: Promise<void>[] = [];
  let firstAck!: () => void;
  const firstAckP = new Promise<void>((r) => (firstAck = r));
  const n = opts.producers ?? 1;
  for (let p = 0; p < n; p++) {
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: 1_000, initialRetryTime: 50, maxRetryTime: 500 },
    });
    await producer.connect();
    producers.push(producer);
    const name = `p${p}-${startedAt}`;
    const perSend = opts.recordsPerSend ?? 1;
    const intervalMs = (1000 * n * perSend) / opts.ratePerSec;
    loops.push(
      (async () => {
        let seq = 0;
        let sends = 0;
        let next = Date.now();
        while (!stopping) {
          const topic = opts.topics[sends++ % opts.topics.length];
          const seqs = Array.from({ length: perSend }, (_, i) => seq + i);
          const sentAt = Date.now();
          try {
            await producer.send({
              topic,
              compression: CompressionTypes.None,
              messages: seqs.map((s) => ({ key: String(s), value: JSON.stringify({ producer: name, seq: s }) })),
            });
            const ackedAt = Date.now();
            maxProduceStallMs = Math.max(maxProduceStallMs, ackedAt - sentAt);
            for (const s of seqs) acked.push({ topic, producer: name, seq: s, ackedAt });
            firstAck();
          } catch {
            failedSends += perSend; // not acknowledged: the application would retry them; they are not owed
          }
          seq += perSend;
          next += intervalMs;
          const wait = next - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          else next = Date.now();
        }
      })(),
    );
  }
  return {
    ready: Promise.all([joinedP, firstAckP]).then(() => undefined),
    async stop() {
      stopping = true;
      await Promise.all(loops);
      const stoppedAt = Date.now();
      await Promise.allSettled(producers.map((p) => p.disconnect()));
      // Let the consumer catch up with what was acknowledged before it leaves (bounded).
      await drain(acked, consumed);
      await consumer.disconnect().catch(() => undefined);
      return { acked, failedSends, consumed, maxProduceStallMs, startedAt, stoppedAt, consumeTimes };
    },
  };
}
