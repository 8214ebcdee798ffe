/**
 * Makes a destination group a consumer group (KIP-848) before the group's KIP-848 consumers arrive there.
 *
 * The link's offset sync commits offsets on the destination with standalone commits, which makes each group
 * there a classic group. A KIP-848 consumer reaching it at the switch still carries the member id and epoch it
 * had on the source, and Kafka converts a classic group only for a member joining with epoch 0: it answers
 * GROUP_ID_NOT_FOUND and the consumer dies (DESIGN.md, "KIP-848 consumers at the switch"). Once the group is
 * a consumer group, the same consumer is only an unknown member: it rejoins with epoch 0 and resumes at the
 * committed offsets. So, after promotion (offsets final, the link no longer syncing them) and before the switch,
 * a throwaway member joins each such group (epoch 0, no subscription, no assignment, no commit) and leaves at
 * once: the join converts the group, the leave empties it, the offsets stay.
 *
 * kafkajs 2.2.4 has no ConsumerGroupHeartbeat (API key 68, flexible versions only), so the request is encoded
 * here and sent on the connection of kafkajs' own group-coordinator broker (kafkaWire.ts).
 */
import type { Kafka } from "kafkajs";
import { groupTypes, type GroupLister } from "./groupProtocols";
import {
  NO_TAGGED_FIELDS,
  WireReader,
  clusterOf,
  compactArray,
  compactString,
  int32,
  sendRaw,
  type InternalBroker,
  type InternalCluster,
} from "./kafkaWire";

/** What happened to one group. */
export type Conversion =
  | { readonly groupId: string; readonly outcome: "converted" }
  | { readonly groupId: string; readonly outcome: "refused"; readonly error: string };

const CONSUMER_GROUP_HEARTBEAT = 68;
/** v0: the coordinator names the member (v1 wants a client-made id); every Kafka with KIP-848 serves v0. */
const VERSION = 0;
const REBALANCE_TIMEOUT_MS = 30_000;
/** Leaving: member epoch -1 (KIP-848). */
const LEAVE_EPOCH = -1;

/** Kafka error codes this code names in its messages; any other is reported by number. */
const ERROR_NAMES: Readonly<Record<number, string>> = {
  15: "COORDINATOR_NOT_AVAILABLE",
  16: "NOT_COORDINATOR",
  14: "COORDINATOR_LOAD_IN_PROGRESS",
  30: "GROUP_AUTHORIZATION_FAILED",
  35: "UNSUPPORTED_VERSION",
  42: "INVALID_REQUEST",
  69: "GROUP_ID_NOT_FOUND",
};
const RETRIABLE = new Set([14, 15, 16]);

// ---- ConsumerGroupHeartbeat v0 (flexible) ----

const EMPTY_ARRAY = compactArray([]);
const NULL_ARRAY = compactArray(null);

interface HeartbeatRequest {
  readonly groupId: string;
  readonly memberId: string;
  readonly memberEpoch: number;
  /** Set (an empty subscription) on the join, null on the leave. */
  readonly join: boolean;
}

/** The request body, preceded by the tagged fields that end request header v2 (kafkajs writes header v1). */
export function encodeHeartbeat(r: HeartbeatRequest): Buffer {
  return Buffer.concat([
    NO_TAGGED_FIELDS, // request header v2's tagged fields
    compactString(r.groupId),
    compactString(r.memberId),
    int32(r.memberEpoch),
    compactString(null), // InstanceId
    compactString(null), // RackId
    int32(r.join ? REBALANCE_TIMEOUT_MS : -1),
    r.join ? EMPTY_ARRAY : NULL_ARRAY, // SubscribedTopicNames: set and empty on a join
    compactString(null), // ServerAssignor
    r.join ? EMPTY_ARRAY : NULL_ARRAY, // TopicPartitions: empty when joining
    NO_TAGGED_FIELDS,
  ]);
}

export interface HeartbeatResponse {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly memberId: string | null;
  readonly memberEpoch: number;
}

/** Reads what follows the correlation id: response header v1's tagged fields, then the v0 body's first fields. */
export function decodeHeartbeat(payload: Buffer): HeartbeatResponse {
  const r = new WireReader(payload);
  r.taggedFields();
  r.int32(); // ThrottleTimeMs
  const errorCode = r.int16();
  const errorMessage = r.compactString();
  const memberId = r.compactString();
  const memberEpoch = r.int32();
  return { errorCode, errorMessage, memberId, memberEpoch };
}

const HEARTBEAT_API = { key: CONSUMER_GROUP_HEARTBEAT, version: VERSION, name: "ConsumerGroupHeartbeat" } as const;

function heartbeat(broker: InternalBroker, request: HeartbeatRequest): Promise<HeartbeatResponse> {
  return sendRaw(broker, HEARTBEAT_API, encodeHeartbeat(request), decodeHeartbeat);
}

function describeError(r: HeartbeatResponse): string {
  const name = ERROR_NAMES[r.errorCode] ?? `error ${r.errorCode}`;
  return r.errorMessage ? `${name}: ${r.errorMessage}` : name;
}

/** Joins then leaves one group as a throwaway consumer-protocol member; retries while the coordinator moves. */
async function convertOne(cluster: InternalCluster, groupId: string, deadline: number): Promise<Conversion> {
  for (let attempt = 1; ; attempt++) {
    const broker = await cluster.findGroupCoordinator({ groupId });
    const joined = await heartbeat(broker, { groupId, memberId: "", memberEpoch: 0, join: true });
    if (joined.errorCode === 0 && joined.memberId) {
      const left = await heartbeat(broker, {
        groupId,
        memberId: joined.memberId,
        memberEpoch: LEAVE_EPOCH,
        join: false,
      });
      // The join converted the group; a failed leave only leaves a member with nothing assigned until its
      // session times out (45 s by default), which the rejoining consumers do not wait for.
      if (left.errorCode !== 0 && !RETRIABLE.has(left.errorCode))
        return { groupId, outcome: "refused", error: `joined, but leaving failed: ${describeError(left)}` };
      return { groupId, outcome: "converted" };
    }
    if (!RETRIABLE.has(joined.errorCode) || Date.now() + 100 * attempt > deadline)
      return { groupId, outcome: "refused", error: describeError(joined) };
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
}

/**
 * Converts each group on the cluster `kafka` reaches. Never throws for a group: what could not be done is
 * returned, since this runs past the point of no return and must not hold the clients.
 */
export async function convertToConsumerGroups(
  kafka: Kafka,
  groupIds: readonly string[],
  deadline: number,
): Promise<Conversion[]> {
  if (groupIds.length === 0) return [];
  let cluster: InternalCluster;
  try {
    cluster = clusterOf(kafka);
    await cluster.connect();
  } catch (err) {
    return groupIds.map((groupId) => ({ groupId, outcome: "refused", error: (err as Error).message }));
  }
  try {
    return await Promise.all(
      groupIds.map((groupId) =>
        convertOne(cluster, groupId, deadline).catch(
          (err: Error): Conversion => ({ groupId, outcome: "refused", error: err.message }),
        ),
      ),
    );
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}

/**
 * Of `groupIds`, converts those the source runs on KIP-848 (groupProtocols.ts): the cutover's step between
 * promotion and the switch. Rejects only if the source cannot tell the groups' types.
 */
export async function convertKip848Groups(
  source: GroupLister,
  destination: Kafka,
  groupIds: readonly string[],
  deadline: number,
): Promise<Conversion[]> {
  const types = await groupTypes(source, groupIds);
  const kip848 = [...types].filter(([, t]) => t === "consumer").map(([id]) => id);
  return convertToConsumerGroups(destination, kip848, deadline);
}
