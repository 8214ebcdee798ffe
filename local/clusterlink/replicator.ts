// Copies one source topic into its mirror, partition for partition, at the same offsets: each source
// batch is produced as one destination batch whose base offset must equal the source offset. The
// destination's log-end offset is the only progress marker, so a restart resumes exactly where it stopped.
// It copies only the partitions the mirror topic has; the link adds partitions and then refreshes it.
import { Kafka, type Batch, type Consumer, type KafkaConfig, type KafkaMessage, type Producer } from "kafkajs";
import type { MirrorTopicError } from "./api/types";

/** Kafka's default `message.max.bytes` is ~1 MiB per batch; stay well under it. */
const MAX_BATCH_BYTES = 900 * 1024;

export interface ReplicatorOptions {
  sourceConfig: KafkaConfig;
  /** Source-side consumer group (kafkajs has no group-less consumer); never committed to. */
  groupId: string;
  sourceTopic: string;
  mirrorTopic: string;
  /** Shared destination producer (admin principal). */
  producer: Producer;
  /** Destination log-end offset per partition: where copying resumes. */
  destinationEnds: () => Promise<Map<number, number>>;
  /** The mirror can no longer be kept offset-identical: stop and report. */
  onFailure: (reason: MirrorTopicError, detail: string) => void;
}

function messageBytes(m: KafkaMessage): number {
  let size = 70 + (m.key?.length ?? 0) + (m.value?.length ?? 0);
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    const values = Array.isArray(v) ? v : [v];
    for (const one of values) size += k.length + (one === undefined ? 0 : one.length) + 10;
  }
  return size;
}

/** Splits messages into chunks that each fit in one produce batch. */
function chunks(messages: KafkaMessage[]): KafkaMessage[][] {
  const out: KafkaMessage[][] = [];
  let current: KafkaMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = messageBytes(m);
    if (current.length > 0 && bytes + size > MAX_BATCH_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export class MirrorReplicator {
  private consumer: Consumer | undefined;
  /** Next source offset to copy, per partition (= destination log-end). */
  private readonly next = new Map<number, number>();
  private paused = false;
  private failed = false;
  private stopping = false;
  /** Batches being copied right now: stopping waits for them, so no copy lands after a mirror stops. */
  private readonly copying = new Set<Promise<void>>();
  private leaving: Promise<void> = Promise.resolve();
  /** A refresh in progress: halting waits for it, so its new consumer is never left running. */
  private refreshing: Promise<void> | undefined;
  /** Records copied since start, for throughput measurements. */
  copied = 0;

  constructor(private readonly opts: ReplicatorOptions) {}

  /** The offset the source was last fetched up to, per partition. */
  fetchOffsets(): Map<number, number> {
    return new Map(this.next);
  }

  async start(): Promise<void> {
    const ends = await this.opts.destinationEnds();
    for (const [p, end] of ends) this.next.set(p, end);
    const consumer = new Kafka(this.opts.sourceConfig).consumer({
      groupId: this.opts.groupId,
      minBytes: 1,
      maxBytes: 32 * 1024 * 1024,
      maxBytesPerPartition: 8 * 1024 * 1024,
      maxWaitTimeInMs: 200,
      // Aborted transactional records keep their offsets, so they are copied too.
      readUncommitted: true,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    this.consumer = consumer;
    // Seeks only take effect once the consumer has joined its group (and again after any rejoin, e.g. a
    // crash-restart), so they are made on every join rather than right after run().
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const [partition, offset] of this.next) {
        consumer.seek({ topic: this.opts.sourceTopic, partition, offset: String(offset) });
      }
      if (this.paused) consumer.pause([{ topic: this.opts.sourceTopic }]);
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.opts.sourceTopic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        // A consumer replaced by a refresh copies nothing more: only one consumer writes a partition.
        if (consumer !== this.consumer || !isRunning() || isStale() || this.failed || this.stopping) return;
        const copy = this.copyBatch(consumer, batch, resolveOffset);
        this.copying.add(copy);
        try {
          await copy;
        } finally {
          this.copying.delete(copy);
        }
        await heartbeat();
      },
    });
  }

  pause(): void {
    this.paused = true;
    this.consumer?.pause([{ topic: this.opts.sourceTopic }]);
  }

  resume(): void {
    this.paused = false;
    this.consumer?.resume([{ topic: this.opts.sourceTopic }]);
  }

  /**
   * Picks up partitions added to the mirror topic since start: a kafkajs consumer sees new partitions only
   * after its metadata expires (5 min) and its group rebalances, so the consumer is replaced. The old one
   * finishes its batches in flight and leaves; the new one resumes every partition at the destination's log
   * end (a new partition at 0), through the same offset checks as any copy.
   */
  async refresh(): Promise<void> {
    while (this.refreshing) await this.refreshing.catch(() => undefined);
    if (this.stopping || this.failed) return;
    const run = this.replaceConsumer();
    this.refreshing = run;
    try {
      await run;
    } finally {
      if (this.refreshing === run) this.refreshing = undefined;
    }
  }

  private async replaceConsumer(): Promise<void> {
    const old = this.consumer;
    this.consumer = undefined;
    old?.pause([{ topic: this.opts.sourceTopic }]);
    await Promise.all([...this.copying]);
    await old?.disconnect().catch(() => undefined);
    if (this.stopping || this.failed) return;
    await this.start();
  }

  /**
   * Stops copying at once: no batch starts after this and the ones in flight finish before it resolves. The
   * consumer leaves its group in the background (`left`), which takes a fetch wait and a round trip: a
   * 100-topic promotion should not wait for 100 of those before the topics become writable.
   */
  async halt(): Promise<void> {
    this.stopping = true;
    await this.refreshing?.catch(() => undefined);
    const consumer = this.consumer;
    this.consumer = undefined;
    consumer?.pause([{ topic: this.opts.sourceTopic }]);
    await Promise.all([...this.copying]);
    if (consumer) this.leaving = consumer.disconnect().catch(() => undefined);
  }

  /** Resolves once the consumer has left its group (after `halt`). */
  get left(): Promise<void> {
    return this.leaving;
  }

  async stop(): Promise<void> {
    await this.halt();
    await this.leaving;
  }

  private async copyBatch(consumer: Consumer, batch: Batch, resolveOffset: (offset: string) => void): Promise<void> {
    const partition = batch.partition;
    const resumeAt = this.next.get(partition);
    if (resumeAt === undefined) {
      // The source gained this partition and the mirror topic does not have it yet (the link adds it on its
      // next topic sync, then refreshes this replicator): leave it alone rather than fetch it in a loop.
      consumer.pause([{ topic: this.opts.sourceTopic, partitions: [partition] }]);
      return;
    }
    let expected = resumeAt;
    const fresh = batch.messages.filter((m) => Number(m.offset) >= expected);
    if (fresh.length === 0) return;
    if (Number(fresh[0].offset) !== expected) {
      this.fail(
        "UNEXPECTED_TRUNCATION",
        `source partition ${partition} has no record at offset ${expected} (next is ${fresh[0].offset}): compaction, ` +
          "transaction markers or retention left a gap, and the emulator cannot reproduce offset gaps on the destination",
      );
      return;
    }
    for (const chunk of chunks(fresh)) {
      const last = Number(chunk[chunk.length - 1].offset);
      if (last - expected !== chunk.length - 1) {
        const gapAt = chunk.findIndex((m, i) => Number(m.offset) !== expected + i);
        this.fail(
          "UNEXPECTED_TRUNCATION",
          `source partition ${partition} skips from offset ${expected + gapAt - 1} to ${chunk[gapAt].offset}: ` +
            "compaction or transaction markers left a gap the emulator cannot reproduce",
        );
        return;
      }
      let baseOffset: number;
      try {
        const [meta] = await this.opts.producer.send({
          topic: this.opts.mirrorTopic,
          acks: -1,
          messages: chunk.map((m) => ({
            partition,
            key: m.key,
            value: m.value,
            headers: m.headers,
            timestamp: m.timestamp,
          })),
        });
        // kafkajs sends nothing, and answers nothing, for a partition its metadata does not list yet (the
        // shared producer refreshes it every second): no progress, retried from the destination's log end.
        if (!meta) {
          await new Promise((r) => setTimeout(r, 200));
          throw new Error(`the destination producer does not know partition ${partition} yet`);
        }
        baseOffset = Number(meta.baseOffset ?? meta.offset ?? -1);
      } catch (err) {
        if (this.stopping) return;
        // The produce may or may not have landed: resume from what the destination really has.
        const ends = await this.opts.destinationEnds().catch(() => undefined);
        const end = ends?.get(partition);
        if (end !== undefined) {
          this.next.set(partition, end);
          if (consumer === this.consumer)
            consumer.seek({ topic: this.opts.sourceTopic, partition, offset: String(end) });
        }
        void err;
        return;
      }
      if (baseOffset !== expected) {
        this.fail(
          "ILLEGAL_STATE",
          `mirror ${this.opts.mirrorTopic} partition ${partition} appended at offset ${baseOffset} instead of ${expected}: ` +
            "something else wrote to the mirror topic",
        );
        return;
      }
      expected = last + 1;
      this.next.set(partition, expected);
      this.copied += chunk.length;
      resolveOffset(String(last));
    }
  }

  private fail(reason: MirrorTopicError, detail: string): void {
    if (this.failed) return;
    this.failed = true;
    this.opts.onFailure(reason, detail);
  }
}
