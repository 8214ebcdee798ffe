/**
 * Reads what discovery needs from the source cluster through its admin API, and changes nothing there: only
 * Metadata, ListOffsets, DescribeConfigs, ListGroups, DescribeGroups, OffsetFetch and DescribeAcls are sent.
 */
import { AclOperationTypes, AclResourceTypes, AssignerProtocol, ConfigResourceTypes, type Admin } from "kafkajs";
import { readAclBindings } from "../../dynamic/acls/bindings";
import { groupTypes, type GroupType } from "../../dynamic/cutover/groupProtocols";
import type { TransactionalProducer } from "../../dynamic/cutover/transactionalProducers";

export interface TopicInfo {
  readonly name: string;
  readonly partitions: number;
  /** `cleanup.policy`, e.g. `delete`, `compact` or `compact,delete`. */
  readonly cleanupPolicy: string;
  readonly retentionMs: string;
  readonly retentionBytes: string;
  /** Records retained now: log-end minus log-start offset, summed over partitions. */
  readonly records: number;
  /** Bytes on disk need DescribeLogDirs, which kafkajs does not speak: always unknown here, never guessed. */
  readonly bytes: "unknown";
}

export interface GroupMember {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
}

export interface ConsumerGroupInfo {
  readonly id: string;
  /** classic, consumer (KIP-848), other (Connect, share, streams…), absent (vanished while being read). */
  readonly type: GroupType;
  /** ListGroups' protocol type (`consumer`, `connect`, …). */
  readonly protocolType: string;
  readonly state: string;
  /** Topics with a committed offset (≥ 0) on some partition. */
  readonly committedTopics: readonly string[];
  /** Topics assigned to live members (classic consumer groups only: KIP-848 members are not described). */
  readonly assignedTopics: readonly string[];
  readonly members: readonly GroupMember[];
}

export type AclOperation = keyof typeof AclOperationTypes;

/** One ACL binding on a topic (literal, prefixed or the `*` wildcard). */
export interface TopicAcl {
  readonly principal: string;
  readonly host: string;
  readonly operation: AclOperation;
  readonly permission: "ALLOW" | "DENY";
  readonly pattern: "LITERAL" | "PREFIXED";
  readonly resourceName: string;
}

export interface ExcludedTopic {
  readonly name: string;
  readonly reason: string;
}

export interface Inventory {
  readonly clusterId: string;
  readonly brokers: number;
  readonly topics: readonly TopicInfo[];
  readonly excludedTopics: readonly ExcludedTopic[];
  readonly consumerGroups: readonly ConsumerGroupInfo[];
  /** Topic ACLs, or why they could not be read (no authorizer, or the principal may not describe them). */
  readonly acls: readonly TopicAcl[] | { readonly unavailable: string };
  /** Transactional producers on the inventoried topics (DescribeProducers), or why they could not be read. */
  readonly transactionalProducers: readonly TransactionalProducer[] | { readonly unavailable: string };
}

export interface ReadOptions {
  /** Only topics whose name matches are inventoried; others are listed as excluded. */
  readonly topicFilter?: RegExp;
  /** How many topics or groups are read at once (ListOffsets, OffsetFetch). */
  readonly concurrency?: number;
  /** Reads the transactional producers of these topics (the cutover's own check); unset: not read. */
  readonly describeProducers?: (topics: readonly string[]) => Promise<{ producers: TransactionalProducer[] }>;
}

/**
 * Kafka's own internal topics and the internals of Confluent components: never a workload's topic, never
 * mirrored by a migration group.
 */
export function internalTopicReason(name: string): string | undefined {
  if (name.startsWith("__")) return "Kafka internal (name starts with __)";
  if (/^_(confluent|schemas)/.test(name)) return "Confluent component internal (_confluent…, _schemas)";
  if (/^connect-(configs|offsets|status)$/.test(name)) return "Kafka Connect internal";
  return undefined;
}

export async function readInventory(admin: Admin, opts: ReadOptions = {}): Promise<Inventory> {
  const concurrency = opts.concurrency ?? 8;
  const cluster = await admin.describeCluster();
  const names = (await admin.listTopics()).sort();
  const excludedTopics: ExcludedTopic[] = [];
  const wanted: string[] = [];
  for (const name of names) {
    const internal = internalTopicReason(name);
    if (internal) excludedTopics.push({ name, reason: internal });
    else if (opts.topicFilter && !opts.topicFilter.test(name))
      excludedTopics.push({ name, reason: "does not match --topics" });
    else wanted.push(name);
  }
  const topics = await readTopics(admin, wanted, concurrency);
  const consumerGroups = await readConsumerGroups(admin, concurrency);
  const acls = await readTopicAcls(admin);
  const transactionalProducers = opts.describeProducers
    ? await opts.describeProducers(wanted).then(
        (r) => r.producers,
        (e: Error) => ({ unavailable: e.message }),
      )
    : { unavailable: "not read" };
  return {
    clusterId: cluster.clusterId,
    brokers: cluster.brokers.length,
    topics,
    excludedTopics,
    consumerGroups,
    acls,
    transactionalProducers,
  };
}

async function readTopics(admin: Admin, names: readonly string[], concurrency: number): Promise<TopicInfo[]> {
  if (names.length === 0) return [];
  const metadata = new Map(
    (await admin.fetchTopicMetadata({ topics: [...names] })).topics.map((t) => [t.name, t.partitions.length]),
  );
  const configs = new Map<string, Map<string, string>>();
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: names.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: ["cleanup.policy", "retention.ms", "retention.bytes"],
    })),
  });
  for (const r of described.resources)
    configs.set(r.resourceName, new Map(r.configEntries.map((e) => [e.configName, e.configValue])));
  const records = await mapLimited(names, concurrency, async (name) =>
    (await admin.fetchTopicOffsets(name)).reduce((sum, p) => sum + (Number(p.high) - Number(p.low)), 0),
  );
  return names.map((name, i) => {
    const c = configs.get(name) ?? new Map<string, string>();
    return {
      name,
      partitions: metadata.get(name) ?? 0,
      cleanupPolicy: c.get("cleanup.policy") ?? "unknown",
      retentionMs: c.get("retention.ms") ?? "unknown",
      retentionBytes: c.get("retention.bytes") ?? "unknown",
      records: records[i],
      bytes: "unknown",
    };
  });
}

async function readConsumerGroups(admin: Admin, concurrency: number): Promise<ConsumerGroupInfo[]> {
  const listed = (await admin.listGroups()).groups.sort((a, b) => a.groupId.localeCompare(b.groupId));
  if (listed.length === 0) return [];
  const ids = listed.map((g) => g.groupId);
  const types = await groupTypes(admin, ids);
  const described = new Map((await admin.describeGroups(ids)).groups.map((g) => [g.groupId, g]));
  // Never `resolveOffsets: true`: kafkajs then writes the resolved offsets back to the group.
  const committed = await mapLimited(ids, concurrency, async (groupId) =>
    (await admin.fetchOffsets({ groupId }))
      .filter((t) => t.partitions.some((p) => Number(p.offset) >= 0))
      .map((t) => t.topic)
      .sort(),
  );
  return listed.map((g, i) => {
    const d = described.get(g.groupId);
    const members = (d?.members ?? []).map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.clientHost }));
    const assigned = new Set<string>();
    if (d?.protocolType === "consumer") {
      for (const m of d.members) {
        // A member that has joined but not yet synced has an empty assignment; anything unreadable is skipped.
        try {
          const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
          for (const topic of Object.keys(decoded?.assignment ?? {})) assigned.add(topic);
        } catch {
          continue;
        }
      }
    }
    return {
      id: g.groupId,
      type: types.get(g.groupId) ?? "absent",
      protocolType: g.protocolType,
      state: d && !(d.state === "Dead" && d.protocolType === "") ? d.state : "unknown (not a classic group)",
      committedTopics: committed[i],
      assignedTopics: [...assigned].sort(),
      members,
    };
  });
}

async function readTopicAcls(admin: Admin): Promise<readonly TopicAcl[] | { unavailable: string }> {
  try {
    return (await readAclBindings(admin, { resourceType: AclResourceTypes.TOPIC })).map((b) => ({
      principal: b.principal,
      host: b.host,
      operation: b.operation,
      permission: b.permission,
      pattern: b.patternType,
      resourceName: b.resourceName,
    }));
  } catch (err) {
    // SECURITY_DISABLED (no authorizer) or CLUSTER_AUTHORIZATION_FAILED: report it, do not stop discovery.
    return { unavailable: (err as Error).message };
  }
}

/** `fn` over `items`, at most `limit` at a time, results in order: 500 topics must not mean 500 requests at once. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
