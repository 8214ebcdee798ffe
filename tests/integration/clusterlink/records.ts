/** What the mirror tests compare: every record of a topic, read back with its partition, offset and contents. */
import type { KafkaMessage } from "kafkajs";
import { eventually, uniqueName } from "../helpers";
import { client, type Endpoint } from "../helpers/kafka";

/** Explicit timestamps, recent enough that the brokers' 7-day retention never deletes them mid-test. */
export const EPOCH = Date.now() - 60_000;

export interface Seen {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  timestamp: string;
}

function simplify(partition: number, m: KafkaMessage): Seen {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = String(v);
  return {
    partition,
    offset: m.offset,
    key: m.key?.toString() ?? null,
    value: m.value?.toString() ?? null,
    headers,
    timestamp: m.timestamp,
  };
}

/** Every record of the topic (a fresh group from the beginning), by partition and offset. */
export async function readAll(endpoint: Endpoint, topic: string, count: number): Promise<Seen[]> {
  const consumer = client(endpoint).consumer({ groupId: uniqueName("reader"), maxWaitTimeInMs: 100 });
  const seen: Seen[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ partition, message }) => void seen.push(simplify(partition, message)) });
    await eventually(
      async () => {
        if (seen.length < count) {
          const byPartition = new Map<number, number>();
          for (const r of seen) byPartition.set(r.partition, (byPartition.get(r.partition) ?? 0) + 1);
          throw new Error(
            `${seen.length}/${count} (per partition: ${[...byPartition].map(([p, n]) => `${p}=${n}`).join(" ")})`,
          );
        }
      },
      { timeoutMs: 30_000, what: `reading ${count} records of ${topic}` },
    );
  } finally {
    await consumer.disconnect();
  }
  return seen.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}
