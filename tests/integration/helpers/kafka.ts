import { Kafka, type KafkaConfig } from "kafkajs";
import { kafkajsConfig, type DestinationEndpoints, type SourceEndpoints } from "../../../local/kafka";
import { eventually } from "./index";

export type Endpoint = SourceEndpoints | DestinationEndpoints;
export type Credentials = { username: string; password: string };

export function client(endpoint: Endpoint, credentials?: Credentials, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka(kafkajsConfig(endpoint, credentials, { clientId: "kafka-cutover-tests", ...overrides }));
}

export async function createTopic(endpoint: Endpoint, topic: string, partitions = 1): Promise<void> {
  const admin = client(endpoint).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

/** Consumes from the beginning with a fresh group until `count` messages arrived; returns their values. */
export async function consumeValues(
  endpoint: Endpoint,
  topic: string,
  groupId: string,
  count: number,
  credentials?: Credentials,
  timeoutMs = 20_000,
): Promise<string[]> {
  return consumeValuesWith(client(endpoint, credentials), topic, groupId, count, timeoutMs);
}

/** `consumeValues` with a client of the caller's (e.g. one signed in to a Gateway route). */
export async function consumeValuesWith(
  kafka: Kafka,
  topic: string,
  groupId: string,
  count: number,
  timeoutMs = 20_000,
): Promise<string[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? "") });
    await eventually(
      async () => {
        if (values.length < count) throw new Error(`${values.length}/${count} messages`);
      },
      { timeoutMs, what: `consuming ${count} messages from ${topic}` },
    );
    return values;
  } finally {
    await consumer.disconnect();
  }
}

/** The Kafka error type of a kafkajs error, looking through the wrappers kafkajs adds on retries. */
export function kafkaErrorType(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { type?: unknown; originalError?: unknown; cause?: unknown };
    if (typeof e.type === "string") return e.type;
    current = e.originalError ?? e.cause;
  }
  return undefined;
}

/** Runs `fn` and returns what it threw plus how long it took; fails if it did not throw. */
export async function captureError(fn: () => Promise<unknown>): Promise<{ error: Error; elapsedMs: number }> {
  const started = Date.now();
  try {
    await fn();
  } catch (error) {
    return { error: error as Error, elapsedMs: Date.now() - started };
  }
  throw new Error("expected an error, but the call succeeded");
}
