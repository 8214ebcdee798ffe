/**
 * Offsets read straight from the clusters (not through the Gateway): the source's log-end offsets, which
 * must stand still once the route is fenced, and each consumer group's committed offsets on both sides,
 * which must agree before the mirrors are promoted.
 */
import { Admin, Kafka, RetryOptions, SASLOptions, logLevel } from "kafkajs";
import { beforeDeadline } from "../../clients/deadline";
import { TlsLeg, kafkaSsl, withTlsAdvice } from "../../clients/tls";
import type { KafkaAccess } from "./inputs";

/** The admin calls the cutover reads offsets with (a kafkajs Admin has them). */
export type OffsetReader = Pick<Admin, "fetchTopicOffsets" | "fetchOffsets">;

/** topic → partition → offset */
export type OffsetMap = Record<string, Record<number, string>>;

function sasl(access: KafkaAccess): SASLOptions | undefined {
  const { mechanism, username, password } = access;
  if (!access.securityProtocol.startsWith("SASL")) return undefined;
  if (mechanism === "PLAIN") return { mechanism: "plain", username, password };
  if (mechanism === "SCRAM-SHA-256") return { mechanism: "scram-sha-256", username, password };
  return { mechanism: "scram-sha-512", username, password };
}

/**
 * A kafkajs client for `access` (its SASL login; TLS when the protocol says so, trusting its CA bundle or the
 * system store, hostnames verified), quiet, with bounded waits.
 */
export function kafkaFor(access: KafkaAccess, clientId: string, retry: RetryOptions = ADMIN_RETRY): Kafka {
  const auth = sasl(access);
  return new Kafka({
    clientId,
    brokers: access.bootstrap.split(","),
    logLevel: logLevel.NOTHING,
    ssl: kafkaSsl(access.securityProtocol, access.caCertificates),
    ...(auth ? { sasl: auth } : {}),
    connectionTimeout: 5_000,
    requestTimeout: 10_000,
    retry,
  });
}

const ADMIN_RETRY: RetryOptions = { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 };

/** A connected kafkajs admin for `access`; close it with `disconnect()`. A refused certificate names `leg`. */
export async function connectAdmin(access: KafkaAccess, clientId: string, leg?: TlsLeg): Promise<Admin> {
  const admin = kafkaFor(access, clientId).admin();
  try {
    await admin.connect();
  } catch (err) {
    throw leg ? withTlsAdvice(leg, err) : err;
  }
  return admin;
}

export async function logEndOffsets(admin: OffsetReader, topics: readonly string[]): Promise<OffsetMap> {
  const out: OffsetMap = {};
  await Promise.all(
    topics.map(async (topic) => {
      const parts = await beforeDeadline(`fetchTopicOffsets(${topic})`, admin.fetchTopicOffsets(topic));
      out[topic] = Object.fromEntries(parts.map((p) => [p.partition, p.high]));
    }),
  );
  return out;
}

/** Committed offsets of `group` for `topics`; partitions without a commit are left out. */
export async function committedOffsets(
  admin: Pick<OffsetReader, "fetchOffsets">,
  group: string,
  topics: readonly string[],
): Promise<OffsetMap> {
  const out: OffsetMap = {};
  const res = await beforeDeadline(
    `fetchOffsets(${group})`,
    admin.fetchOffsets({ groupId: group, topics: [...topics] }),
  );
  for (const t of res) {
    const committed = t.partitions.filter((p) => p.offset !== "-1");
    if (committed.length > 0) out[t.topic] = Object.fromEntries(committed.map((p) => [p.partition, p.offset]));
  }
  return out;
}

/** The partitions where `after` differs from `before`, as `topic[partition] a→b`. */
export function offsetChanges(before: OffsetMap, after: OffsetMap): string[] {
  const changes: string[] = [];
  for (const [topic, parts] of Object.entries(after)) {
    for (const [p, offset] of Object.entries(parts)) {
      const was = before[topic]?.[Number(p)];
      if (was !== offset) changes.push(`${topic}[${p}] ${was ?? "-"}→${offset}`);
    }
  }
  return changes;
}

/** Source committed offsets expressed on the destination's topic names (the link may add a prefix). */
export function renameTopics(offsets: OffsetMap, topics: Readonly<Record<string, string>>): OffsetMap {
  return Object.fromEntries(Object.entries(offsets).map(([t, parts]) => [topics[t] ?? t, parts]));
}

/**
 * Where the source's log grew since `before`, as `topic[partition]: n records (offsets a..b)`; a log that
 * moved back (truncated, recreated) is named too.
 */
export function recordsSince(before: OffsetMap, after: OffsetMap): string[] {
  const out: string[] = [];
  for (const [topic, parts] of Object.entries(after)) {
    for (const [p, offset] of Object.entries(parts)) {
      const was = before[topic]?.[Number(p)];
      if (was === undefined || was === offset) continue;
      const n = BigInt(offset) - BigInt(was);
      if (n < 0n) out.push(`${topic}[${p}]: log end moved back from ${was} to ${offset}`);
      else if (n === 1n) out.push(`${topic}[${p}]: 1 record (offset ${was})`);
      else out.push(`${topic}[${p}]: ${n} records (offsets ${was}..${BigInt(offset) - 1n})`);
    }
  }
  return out;
}

/**
 * The offset-sync status before promotion: a partition is unsynced while the destination's committed offset is
 * not the source's (none at all included). The cutover's caught-up step and `npm run lag` both judge by it.
 */
export function offsetsUnsynced(src: string, dst: string | undefined): boolean {
  return src !== dst;
}

/**
 * Where `group`'s committed offsets on the destination are `bad` against the source's, for the partitions
 * the group committed on the source (`topics`: source topic → mirror topic), as
 * `mirror[partition] source a, destination b`; and how many partitions were compared.
 */
export async function groupOffsetDiffs(
  source: Pick<OffsetReader, "fetchOffsets">,
  destination: Pick<OffsetReader, "fetchOffsets">,
  group: string,
  topics: Readonly<Record<string, string>>,
  bad: (src: string, dst: string | undefined) => boolean,
): Promise<{ compared: number; diffs: string[] }> {
  const src: OffsetMap = renameTopics(await committedOffsets(source, group, Object.keys(topics)), topics);
  const dst = await committedOffsets(destination, group, Object.values(topics));
  const diffs: string[] = [];
  let compared = 0;
  for (const [topic, parts] of Object.entries(src)) {
    for (const [p, offset] of Object.entries(parts)) {
      compared++;
      const there = dst[topic]?.[Number(p)];
      if (bad(offset, there)) diffs.push(`${topic}[${p}] source ${offset}, destination ${there ?? "none"}`);
    }
  }
  return { compared, diffs };
}
