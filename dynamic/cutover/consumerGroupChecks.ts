/**
 * What the preflight checks about consumer groups' committed offsets, before anything changes:
 * - every consumer group with committed offsets on the group's source topics is listed in its consumerGroups:
 *   only listed groups' offsets are synced by the link, so any other one would restart on the destination from
 *   auto.offset.reset, skipping or re-reading records, with nothing failing;
 * - the principals the cutover reads offsets as (offsets.ts: the link's user on the source, the program's API
 *   key on the destination) may read each listed group's offsets: the cutover compares them while the group's
 *   clients are fenced, and a refusal found only then holds the clients and rolls back.
 */
import type { Admin } from "kafkajs";
import type { KafkaAccess } from "./inputs";
import { committedOffsets } from "./offsets";

/** The admin calls the checks use (a kafkajs Admin has them). */
export type GroupScanner = Pick<Admin, "listGroups" | "fetchOffsets">;

/** A consumer group and the topics (of those asked about) it has committed offsets on. */
export interface GroupOffsetsOn {
  readonly groupId: string;
  readonly topics: readonly string[];
}

/** A consumer group whose committed offsets could not be read, and why. */
export interface UnreadableGroup {
  readonly groupId: string;
  readonly error: string;
}

/** Offset reads in flight at once: one OffsetFetch per group, to its coordinator. */
const PARALLEL = 8;

/**
 * Every consumer group on the cluster, other than `except`, with committed offsets on any of `topics`.
 * ListGroups answers only the groups the principal may describe (all of them with DESCRIBE on the cluster).
 */
export async function groupsWithOffsetsOn(
  admin: GroupScanner,
  topics: readonly string[],
  except: readonly string[],
): Promise<{ readers: GroupOffsetsOn[]; unreadable: UnreadableGroup[] }> {
  const skip = new Set(except);
  const ids = [...new Set((await admin.listGroups()).groups.map((g) => g.groupId))]
    .filter((id) => !skip.has(id))
    .sort();
  const readers: GroupOffsetsOn[] = [];
  const unreadable: UnreadableGroup[] = [];
  for (let i = 0; i < ids.length; i += PARALLEL) {
    await Promise.all(
      ids.slice(i, i + PARALLEL).map(async (groupId) => {
        try {
          const on = Object.keys(await committedOffsets(admin, groupId, topics)).sort();
          if (on.length > 0) readers.push({ groupId, topics: on });
        } catch (e) {
          unreadable.push({ groupId, error: errorText(e) });
        }
      }),
    );
  }
  const byId = (a: { groupId: string }, b: { groupId: string }) => a.groupId.localeCompare(b.groupId);
  return { readers: readers.sort(byId), unreadable: unreadable.sort(byId) };
}

/** The blocker for consumer groups reading the group's source topics that its config does not list. */
export function unlistedGroupsBlocker(
  group: string,
  readers: readonly GroupOffsetsOn[],
  source: KafkaAccess,
): string | undefined {
  if (readers.length === 0) return undefined;
  const one = readers.length === 1;
  const named = readers.map((r) => `${r.groupId} (on ${r.topics.join(", ")})`).join(", ");
  const first = readers[0];
  return `consumer group${one ? "" : "s"} ${named} ${one ? "has" : "have"} committed offsets on group ${group}'s source topics but ${one ? "is" : "are"} not in its consumerGroups: the link syncs only the listed groups' offsets, so after the switch ${one ? "its" : "their"} consumers would restart on the destination from auto.offset.reset, skipping or re-reading records. Fix: add ${one ? "it" : "each"} to the consumerGroups of group ${group} in kafka-cutover:groups (pulumi config set --path 'kafka-cutover:groups[<index of ${group}>].consumerGroups[<next>]' ${first.groupId}) and run pulumi up with cutover: false, so the link syncs ${one ? "its" : "their"} offsets, before cutting over (a consumer group listed under another migration group reads both groups' topics: put those topics in one group); or, for a consumer group that is abandoned, delete its offsets on the source with its consumers stopped (kafka-consumer-groups.sh --bootstrap-server ${source.bootstrap} --delete-offsets --group ${first.groupId}${first.topics.map((t) => ` --topic ${t}`).join("")})`;
}

/** What the preview says about groups whose offsets the source principal could not read. */
export function unreadableGroupsNote(
  group: string,
  unreadable: readonly UnreadableGroup[],
  source: KafkaAccess,
): string[] {
  if (unreadable.length === 0) return [];
  return [
    `could not read the committed offsets of consumer group${unreadable.length === 1 ? "" : "s"} ${unreadable.map((u) => `${u.groupId} (${u.error})`).join(", ")} on the source as ${source.username}, so the preflight cannot tell whether they read group ${group}'s topics; if one does and is not in its consumerGroups, it restarts on the destination from auto.offset.reset: grant ${source.username} DESCRIBE on those consumer groups so the preflight can check`,
  ];
}

/**
 * Whether `access` may read each listed group's committed offsets on one cluster, as the cutover does while the
 * clients are fenced; one blocker per group it may not, naming the principal, the cluster and the ACL to add.
 */
export async function groupAccessBlockers(
  admin: Pick<Admin, "fetchOffsets">,
  side: "source" | "destination",
  access: KafkaAccess,
  groups: readonly string[],
): Promise<string[]> {
  const blockers: string[] = [];
  for (const groupId of groups) {
    try {
      // No topics: the group's own permission, whether or not the mirrors exist yet.
      await admin.fetchOffsets({ groupId });
    } catch (e) {
      const where = `consumer group ${groupId} on the ${side} (${access.bootstrap})`;
      const during =
        "the cutover reads its committed offsets there while the group's clients are fenced, so it would hold them and roll back";
      blockers.push(
        isGroupAuthorizationError(e)
          ? `${access.username} may not describe ${where} (${errorText(e)}): ${during}. Allow it: ${describeAcl(side, access, groupId)}`
          : `reading the committed offsets of ${where} as ${access.username} failed (${errorText(e)}): ${during}`,
      );
    }
  }
  return blockers;
}

function describeAcl(side: "source" | "destination", access: KafkaAccess, groupId: string): string {
  return side === "source"
    ? `kafka-acls.sh --bootstrap-server ${access.bootstrap} --add --allow-principal User:${access.username} --operation Describe --group ${groupId}`
    : `confluent kafka acl create --allow --service-account <owner of API key ${access.username}> --operations describe --consumer-group ${groupId}`;
}

/**
 * Kafka refuses FindCoordinator and OffsetFetch with GROUP_AUTHORIZATION_FAILED. kafkajs 2.2.4 tries each broker
 * for the coordinator and, when all refuse, drops the error for "Failed to find group coordinator"
 * (KafkaJSGroupCoordinatorNotFound); an unavailable coordinator is retried first, so that is what a refusal
 * looks like by the time it reaches us (tests/integration/cutover/preflightRefusesUnlistedOrUnreadableConsumerGroups).
 */
function isGroupAuthorizationError(e: unknown): boolean {
  return chain(e).some((x) => x.type === "GROUP_AUTHORIZATION_FAILED" || x.name === "KafkaJSGroupCoordinatorNotFound");
}

function errorText(e: unknown): string {
  if (chain(e).some((x) => x.name === "KafkaJSGroupCoordinatorNotFound"))
    return `kafkajs: "Failed to find group coordinator", how it reports a FindCoordinator refused with GROUP_AUTHORIZATION_FAILED`;
  const type = chain(e)
    .map((x) => x.type)
    .find((t): t is string => typeof t === "string");
  const message = e instanceof Error ? e.message : String(e);
  return type && !message.includes(type) ? `${type}: ${message}` : message;
}

/** The error and what it wraps (kafkajs: `originalError`, `cause`). */
function chain(e: unknown): { name?: unknown; type?: unknown }[] {
  const out: { name?: unknown; type?: unknown }[] = [];
  let x: unknown = e;
  while (x && typeof x === "object" && out.length < 5) {
    const err = x as { name?: unknown; type?: unknown; originalError?: unknown; cause?: unknown };
    out.push(err);
    x = err.originalError ?? err.cause;
  }
  return out;
}
