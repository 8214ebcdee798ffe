// Standalone ("simple") offset commits straight to a group's coordinator: FindCoordinator, then one
// OffsetCommit with generation id -1 and an empty member id. Kafka accepts that only for a group with no
// active members (an empty group, or one that does not exist yet) and answers UNKNOWN_MEMBER_ID (or a
// rebalance/generation error) for a group with members: exactly the offset-sync rule "never for a group
// active on the destination". Nobody joins the group, so it never shows a member.
//
// kafkajs has no public call for this (admin.setOffsets joins the group as a consumer), so this uses
// kafkajs' own Cluster and Broker objects, created by the same Kafka client the admin comes from: same
// SASL/TLS, metadata, advertised listeners and API-version negotiation (OffsetCommit v5 with Kafka 4.x).
// kafkajs is pinned (2.2.4); `connect` checks every internal it uses and fails loudly if an upgrade moved
// one, rather than misbehaving.
import type { Kafka } from "kafkajs";

export interface PartitionOffset {
  partition: number;
  /** Committed offset, as kafkajs reads it (a decimal string). */
  offset: string;
  metadata?: string | null;
}

export interface TopicOffsets {
  topic: string;
  partitions: PartitionOffset[];
}

/** The coordinator refused a standalone commit because the group has (or is getting) members. */
export class GroupInUseError extends Error {
  constructor(
    readonly groupId: string,
    readonly kafkaError: string,
  ) {
    super(`consumer group '${groupId}' has active members on the destination (${kafkaError})`);
    this.name = "GroupInUseError";
  }
}

// ---- the few kafkajs internals used, typed ----

interface InternalBroker {
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: { topic: string; partitions: { partition: number; offset: string; metadata: string | null }[] }[];
  }): Promise<unknown>;
}

interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<InternalBroker>;
}

type CreateCluster = (options: { allowAutoTopicCreation: boolean; instrumentationEmitter: null }) => InternalCluster;

const CREATE_CLUSTER = "private:Kafka:createCluster";

function createClusterOf(kafka: Kafka): CreateCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER);
  const create = symbol ? (kafka as unknown as Record<symbol, unknown>)[symbol] : undefined;
  if (typeof create !== "function") {
    throw new Error(
      `kafkajs internals changed: Kafka has no ${CREATE_CLUSTER} (offsetCommit.ts was written for kafkajs 2.2.4)`,
    );
  }
  return create as CreateCluster;
}

function checkCluster(cluster: InternalCluster): void {
  for (const method of ["connect", "disconnect", "findGroupCoordinator"] as const) {
    if (typeof cluster[method] !== "function") throw new Error(`kafkajs internals changed: Cluster has no ${method}()`);
  }
}

// ---- errors ----

/** Kafka error codes, and kafkajs' names for them. */
const RETRIABLE = new Set([
  14, // COORDINATOR_LOAD_IN_PROGRESS (kafkajs: GROUP_LOAD_IN_PROGRESS)
  15, // COORDINATOR_NOT_AVAILABLE (GROUP_COORDINATOR_NOT_AVAILABLE)
  16, // NOT_COORDINATOR (NOT_COORDINATOR_FOR_GROUP)
  7, // REQUEST_TIMED_OUT
]);
const IN_USE = new Set([
  22, // ILLEGAL_GENERATION
  25, // UNKNOWN_MEMBER_ID: the answer to generation -1 for a group with members
  27, // REBALANCE_IN_PROGRESS
  110, // FENCED_MEMBER_EPOCH (KIP-848 consumer groups)
  113, // STALE_MEMBER_EPOCH
]);
/** kafkajs transport errors after which FindCoordinator + OffsetCommit may simply be sent again. */
const RETRIABLE_KAFKAJS = new Set([
  "KafkaJSConnectionError",
  "KafkaJSRequestTimeoutError",
  "KafkaJSBrokerNotFound",
  "KafkaJSGroupCoordinatorNotFound",
  "KafkaJSConnectionClosedError",
]);

interface ErrorFacts {
  code: number | undefined;
  name: string;
  message: string;
}

/** Code and name of a kafkajs error, looking through the wrappers its retrier adds. */
function facts(err: unknown): ErrorFacts {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      originalError?: unknown;
      cause?: unknown;
    };
    const name = typeof e.name === "string" ? e.name : "Error";
    const message = typeof e.message === "string" ? e.message : String(current);
    // kafkajs knows neither 110 nor 113: it reports "Unknown error code N" with code -99.
    const unknown = /^Unknown error code (\d+)$/.exec(message);
    const code = unknown ? Number(unknown[1]) : typeof e.code === "number" && e.code >= 0 ? e.code : undefined;
    const inner = e.originalError ?? e.cause;
    if (code !== undefined || !inner || RETRIABLE_KAFKAJS.has(name)) return { code, name, message };
    current = inner;
  }
  return { code: undefined, name: "Error", message: String(err) };
}

export interface CommitterOptions {
  /** Attempts per group when the coordinator moved, is loading, or the connection broke. Default 6. */
  attempts?: number;
  /** First backoff, doubled per attempt up to `maxBackoffMs`. Defaults 50 and 1000 ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * Commits offsets to groups of one cluster without joining them. One instance per cluster connection;
 * `commit` may run for many groups at once.
 */
export class StandaloneOffsetCommitter {
  private readonly cluster: InternalCluster;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(kafka: Kafka, opts: CommitterOptions = {}) {
    this.cluster = createClusterOf(kafka)({ allowAutoTopicCreation: false, instrumentationEmitter: null });
    checkCluster(this.cluster);
    this.attempts = opts.attempts ?? 6;
    this.backoffMs = opts.backoffMs ?? 50;
    this.maxBackoffMs = opts.maxBackoffMs ?? 1_000;
  }

  async connect(): Promise<void> {
    await this.cluster.connect();
  }

  async disconnect(): Promise<void> {
    await this.cluster.disconnect();
  }

  /**
   * One OffsetCommit (generation -1, no member id) with every partition of `topics` for `groupId`, at
   * its current coordinator. Throws GroupInUseError if the group has members; retries with backoff
   * while the coordinator moves or loads; any other error is thrown as kafkajs reported it.
   */
  async commit(groupId: string, topics: TopicOffsets[]): Promise<void> {
    const request = {
      groupId,
      groupGenerationId: -1,
      memberId: "",
      topics: topics
        .filter((t) => t.partitions.length > 0)
        .map((t) => ({
          topic: t.topic,
          partitions: t.partitions.map((p) => ({
            partition: p.partition,
            offset: p.offset,
            metadata: p.metadata ?? null,
          })),
        })),
    };
    if (request.topics.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        const coordinator = await this.cluster.findGroupCoordinator({ groupId });
        await coordinator.offsetCommit(request);
        return;
      } catch (err) {
        const f = facts(err);
        if (f.code !== undefined && IN_USE.has(f.code)) throw new GroupInUseError(groupId, f.message);
        const retriable = (f.code !== undefined && RETRIABLE.has(f.code)) || RETRIABLE_KAFKAJS.has(f.name);
        if (!retriable || attempt >= this.attempts) throw err;
        const wait = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (attempt - 1));
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }
}
