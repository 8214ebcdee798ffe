/**
 * The canary after the switch: one record produced through the group's route, as its clients would, then
 * read back twice: through the route (the consume path works) and straight from the destination (the route
 * really leads there). Only both together prove the clients' path is whole and on the right cluster.
 */
import { randomBytes } from "crypto";
import type { Consumer, Kafka } from "kafkajs";
import type { KafkaAccess } from "./inputs";
import { kafkaFor } from "./offsets";

/** How the canary signs in to the route after the switch, and the destination topic it writes to. */
export interface CanaryInputs {
  /** Not a mirror: an ordinary topic on the destination that `access` may write and read. */
  readonly topic: string;
  /** The route's bootstrap and the canary principal's login to it. */
  readonly access: KafkaAccess;
}

export interface CanaryReport {
  readonly partition: number;
  readonly offset: string;
}

/** What the route answered for the group's own topics, by the names its clients use. */
export interface GroupTopicsReport {
  /** The topics the canary principal may not describe, so their names were not checked. */
  readonly unchecked: readonly string[];
}

/** The canary's consumer group on the destination, per migration group (its principal needs READ on it). */
export function canaryGroupId(group: string): string {
  return `kafka-cutover-canary-${group}`;
}

/** Like the group's clients: a few retries through a route that was just switched. */
const CANARY_RETRY = { retries: 5, initialRetryTime: 200, maxRetryTime: 2_000 };

function kafka(access: KafkaAccess, clientId: string): Kafka {
  return kafkaFor(access, clientId, CANARY_RETRY);
}

/**
 * Produces one record through the route and finds it through the route and on the destination; throws
 * naming the first part of the path that failed. `destination` is the provider's own direct access.
 */
export async function runCanary(
  group: string,
  canary: CanaryInputs,
  destination: KafkaAccess,
  deadline: number,
): Promise<CanaryReport> {
  const nonce = randomBytes(8).toString("hex");
  const value = JSON.stringify({ kafkaCutoverCanary: group, nonce, at: new Date().toISOString() });
  const producer = kafka(canary.access, `kafka-cutover-canary-${group}`).producer({
    idempotent: true,
    maxInFlightRequests: 1,
  });
  let written: CanaryReport;
  try {
    await producer.connect();
    const [meta] = await producer.send({ topic: canary.topic, acks: -1, messages: [{ key: group, value }] });
    if (!meta || meta.errorCode !== 0 || meta.baseOffset === undefined)
      throw new Error(`the produce was not acknowledged (${JSON.stringify(meta)})`);
    written = { partition: meta.partition, offset: meta.baseOffset };
  } catch (e) {
    throw new Error(
      `producing to ${canary.topic} through the route ${canary.access.bootstrap} as ${canary.access.username} failed: ${(e as Error).message}`,
    );
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  const where = `${canary.topic}[${written.partition}]@${written.offset}`;
  const [viaRoute, onDestination] = await Promise.allSettled([
    readAt(
      kafka(canary.access, `kafka-cutover-canary-${group}`),
      canaryGroupId(group),
      canary.topic,
      written,
      deadline,
    ),
    readAt(
      kafka(destination, "kafka-cutover-canary-check"),
      `${canaryGroupId(group)}-check`,
      canary.topic,
      written,
      deadline,
    ),
  ]);
  if (viaRoute.status === "rejected")
    throw new Error(`reading ${where} back through the route failed: ${(viaRoute.reason as Error).message}`);
  if (viaRoute.value !== value)
    throw new Error(`reading ${where} back through the route gave another record than the canary wrote`);
  if (onDestination.status === "rejected")
    throw new Error(
      `the canary record is not on the destination at ${where} (${(onDestination.reason as Error).message}): the route does not lead to the destination`,
    );
  if (onDestination.value !== value)
    throw new Error(
      `the destination holds another record at ${where} than the canary wrote through the route: the route does not lead to the destination`,
    );
  return written;
}

/**
 * The canary's own topic proves the path, not the names: the group's clients ask for the group's topics, and the
 * route passes those names through unchanged. So, after the switch, the route must know each of them (metadata
 * only: nothing is written to the applications' topics). Throws naming the topics the destination lacks.
 */
export async function checkGroupTopicsThroughRoute(
  group: string,
  canary: CanaryInputs,
  topics: readonly string[],
): Promise<GroupTopicsReport> {
  const admin = kafka(canary.access, `kafka-cutover-canary-${group}`).admin();
  const unknown: string[] = [];
  const unchecked: string[] = [];
  try {
    await admin.connect();
    // One topic per request: kafkajs reports only the first failing topic of a metadata request.
    for (const topic of topics) {
      try {
        await admin.fetchTopicMetadata({ topics: [topic] });
      } catch (e) {
        const type = kafkaErrorType(e);
        if (type === "UNKNOWN_TOPIC_OR_PARTITION") unknown.push(topic);
        else if (type === "TOPIC_AUTHORIZATION_FAILED") unchecked.push(topic);
        else throw e;
      }
    }
  } catch (e) {
    throw new Error(
      `asking the route ${canary.access.bootstrap} for group ${group}'s topics as ${canary.access.username} failed: ${(e as Error).message}`,
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (unknown.length > 0)
    throw new Error(
      `through the route ${canary.access.bootstrap} the destination has no topic ${unknown.join(", ")}, which group ${group}'s clients ask for by that name: the route does not rename topics, so each must exist on the destination under its source name (a mirror named otherwise, or not promoted under that name)`,
    );
  return { unchecked };
}

/** The Kafka error type of a kafkajs error, looking through the retrier's wrapping (`cause`, `originalError`). */
function kafkaErrorType(e: unknown): string | undefined {
  let x: unknown = e;
  for (let depth = 0; x && typeof x === "object" && depth < 5; depth++) {
    const err = x as { type?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof err.type === "string") return err.type;
    x = err.originalError ?? err.cause;
  }
  return undefined;
}

/** The value of the record at `at`, read with a consumer of group `groupId` that seeks there. */
async function readAt(k: Kafka, groupId: string, topic: string, at: CanaryReport, deadline: number): Promise<string> {
  const consumer: Consumer = k.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    const found = new Promise<string>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no record at that offset within the deadline`)),
        Math.max(0, deadline - Date.now()),
      );
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (partition === at.partition && message.offset === at.offset) resolve(message.value?.toString() ?? "");
            else if (partition === at.partition && BigInt(message.offset) > BigInt(at.offset))
              reject(new Error(`the partition has no record at ${at.offset}`));
          },
        })
        .catch(reject);
    });
    consumer.seek({ topic, partition: at.partition, offset: at.offset });
    return await found;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}
