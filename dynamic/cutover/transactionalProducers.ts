/**
 * Transactional producers on a group's source partitions, which the cutover cannot carry across (issue 14):
 * a transaction open at the fence has its EndTxn held and later sent to a coordinator on the destination that
 * never saw it, so the promoted partition keeps an open transaction and `read_committed` consumers stall; and
 * commit or abort markers written after the fence move the source's log end, which fails the fence's
 * verification. So the preflight finds them and refuses, before anything changes.
 *
 * DescribeProducers (API 61, KIP-664) tells, per partition, each producer the leader still holds state for: a
 * producer with a coordinator epoch (it has had markers written for it) or an open transaction is
 * transactional. Idempotent producers have neither. The leader keeps a producer's state for days after its
 * last write (`producer.id.expiration.ms`), so only an open transaction or a recent write (ACTIVE_WITHIN_MS)
 * blocks: one the applications stopped is named in a note, not held against the cutover.
 */
import type { Kafka } from "kafkajs";
import {
  NO_TAGGED_FIELDS,
  WireReader,
  clusterOf,
  compactArray,
  compactString,
  int32,
  sendRaw,
  type InternalCluster,
} from "./kafkaWire";

export interface TransactionalProducer {
  readonly topic: string;
  readonly partition: number;
  readonly producerId: string;
  readonly producerEpoch: number;
  /** The offset of the first record of its open transaction, or undefined when none is open. */
  readonly openTransactionFrom?: string;
  /** Its last write's timestamp (ms), as the leader recorded it. */
  readonly lastWriteAt: number;
}

/** A transactional producer that wrote this recently is taken to be running. */
export const ACTIVE_WITHIN_MS = 10 * 60_000;

/** Running now: a transaction open, or a write within ACTIVE_WITHIN_MS of `now`. */
export function isActive(p: TransactionalProducer, now: number): boolean {
  return p.openTransactionFrom !== undefined || now - p.lastWriteAt < ACTIVE_WITHIN_MS;
}

/** What could not be described (a partition's error), so the caller can say it was not checked. */
export interface UncheckedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly error: string;
}

const DESCRIBE_PRODUCERS = { key: 61, version: 0, name: "DescribeProducers" } as const;

const ERROR_NAMES: Readonly<Record<number, string>> = {
  3: "UNKNOWN_TOPIC_OR_PARTITION",
  6: "NOT_LEADER_OR_FOLLOWER",
  29: "TOPIC_AUTHORIZATION_FAILED",
  35: "UNSUPPORTED_VERSION",
};

export function encodeDescribeProducers(topics: ReadonlyMap<string, readonly number[]>): Buffer {
  return Buffer.concat([
    NO_TAGGED_FIELDS, // request header v2
    compactArray(
      [...topics].map(([topic, partitions]) =>
        Buffer.concat([compactString(topic), compactArray(partitions.map(int32)), NO_TAGGED_FIELDS]),
      ),
    ),
    NO_TAGGED_FIELDS,
  ]);
}

interface DescribedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly producers: readonly {
    readonly producerId: string;
    readonly producerEpoch: number;
    readonly lastTimestamp: string;
    readonly coordinatorEpoch: number;
    readonly currentTxnStartOffset: string;
  }[];
}

export function decodeDescribeProducers(payload: Buffer): DescribedPartition[] {
  const r = new WireReader(payload);
  r.taggedFields(); // response header v1
  r.int32(); // ThrottleTimeMs
  const out: DescribedPartition[] = [];
  r.compactArray(() => {
    const topic = r.compactString() ?? "";
    r.compactArray(() => {
      const partition = r.int32();
      const errorCode = r.int16();
      const errorMessage = r.compactString();
      const producers = r.compactArray(() => {
        const producerId = r.int64();
        const producerEpoch = r.int32();
        r.int32(); // LastSequence
        const lastTimestamp = r.int64();
        const coordinatorEpoch = r.int32();
        const currentTxnStartOffset = r.int64();
        r.taggedFields();
        return { producerId, producerEpoch, lastTimestamp, coordinatorEpoch, currentTxnStartOffset };
      });
      r.taggedFields();
      out.push({ topic, partition, errorCode, errorMessage, producers });
    });
    r.taggedFields();
  });
  r.taggedFields();
  return out;
}

/** The transactional producers of these described partitions. */
export function transactionalOf(described: readonly DescribedPartition[]): TransactionalProducer[] {
  return described.flatMap((d) =>
    d.producers
      .filter((p) => p.coordinatorEpoch >= 0 || p.currentTxnStartOffset !== "-1")
      .map((p) => ({
        topic: d.topic,
        partition: d.partition,
        producerId: p.producerId,
        producerEpoch: p.producerEpoch,
        lastWriteAt: Number(p.lastTimestamp),
        ...(p.currentTxnStartOffset !== "-1" ? { openTransactionFrom: p.currentTxnStartOffset } : {}),
      })),
  );
}

async function describeAtLeaders(cluster: InternalCluster, topics: readonly string[]): Promise<DescribedPartition[]> {
  await cluster.addMultipleTargetTopics([...topics]);
  // Each partition's producer state lives on its leader: one request per leader.
  const byLeader = new Map<number, Map<string, number[]>>();
  for (const topic of topics) {
    for (const p of cluster.findTopicPartitionMetadata(topic)) {
      const forLeader = byLeader.get(p.leader) ?? new Map<string, number[]>();
      forLeader.set(topic, [...(forLeader.get(topic) ?? []), p.partitionId]);
      byLeader.set(p.leader, forLeader);
    }
  }
  const answers = await Promise.all(
    [...byLeader].map(async ([nodeId, wanted]) =>
      sendRaw(
        await cluster.findBroker({ nodeId }),
        DESCRIBE_PRODUCERS,
        encodeDescribeProducers(wanted),
        decodeDescribeProducers,
      ),
    ),
  );
  return answers.flat();
}

/**
 * The transactional producers on these source topics' partitions, and the partitions that could not be
 * described (named by their error). Throws only when the cluster cannot be reached at all.
 */
export async function findTransactionalProducers(
  kafka: Kafka,
  topics: readonly string[],
): Promise<{ producers: TransactionalProducer[]; unchecked: UncheckedPartition[] }> {
  const cluster = clusterOf(kafka);
  await cluster.connect();
  try {
    const described = await describeAtLeaders(cluster, topics);
    return {
      producers: transactionalOf(described.filter((d) => d.errorCode === 0)),
      unchecked: described
        .filter((d) => d.errorCode !== 0)
        .map((d) => ({
          topic: d.topic,
          partition: d.partition,
          error: `${ERROR_NAMES[d.errorCode] ?? `error ${d.errorCode}`}${d.errorMessage ? `: ${d.errorMessage}` : ""}`,
        })),
    };
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}

function listed(producers: readonly TransactionalProducer[]): string {
  const byPartition = new Map<string, TransactionalProducer[]>();
  for (const p of producers) {
    const key = `${p.topic}[${p.partition}]`;
    byPartition.set(key, [...(byPartition.get(key) ?? []), p]);
  }
  return [...byPartition]
    .map(
      ([where, ps]) =>
        `${where}: ${ps
          .map(
            (p) =>
              `producer ${p.producerId} (epoch ${p.producerEpoch}, last write ${new Date(p.lastWriteAt).toISOString()}${p.openTransactionFrom !== undefined ? `, transaction open since offset ${p.openTransactionFrom}` : ""})`,
          )
          .join(", ")}`,
    )
    .join("; ");
}

/** The preflight's blocker for running transactional producers: where, which, and what to do. */
export function transactionalProducersBlocker(group: string, active: readonly TransactionalProducer[]): string {
  return `group ${group}'s source topics have transactional producers writing now: ${listed(active)}. The cutover cannot carry a transaction across: one open at the fence would stay open on the promoted topic (read_committed consumers stall), and its commit or abort markers would move the source after the fence. Fix: stop the transactional applications (Kafka Streams exactly-once, transactional producers) before the cutover, run preview again (a producer counts as running for ${ACTIVE_WITHIN_MS / 60_000} minutes after its last write), and start them after the cutover through the route; kafka-transactions.sh list and describe-producers name them`;
}

/** The preflight's note for transactional producers that are not writing now. */
export function transactionalProducersNote(group: string, idle: readonly TransactionalProducer[]): string {
  return `group ${group}'s source topics had transactional producers that are not writing now: ${listed(idle)}; keep them stopped until the cutover is done`;
}
