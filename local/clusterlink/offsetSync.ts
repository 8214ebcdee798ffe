// One cycle of consumer offset sync for a link: committed offsets of the selected source groups, for the
// mirrored topics, are written to the same group on the destination — never for a group that is active
// on the destination (it owns its offsets there), and only up to what the mirror already holds.
//
// Requests per cycle: ListGroups on the source; one ListOffsets per mirror topic on the destination (log
// ends); per selected group one OffsetFetch on the source (all mirrored topics at once); one batched
// DescribeGroups on the destination for the groups that have something to sync; per group one
// FindCoordinator + OffsetCommit (all its partitions) on the destination. Groups run concurrently.
import type { Admin } from "kafkajs";
import { groupSelected, type GroupFilter } from "./groupFilters";
import { GroupInUseError, type StandaloneOffsetCommitter, type TopicOffsets } from "./offsetCommit";

export interface MirroredTopic {
  sourceTopic: string;
  mirrorTopic: string;
}

export interface OffsetSyncError {
  group: string;
  /** Task error code for the link's ConsumerOffsetSync task. */
  code: "AUTHORIZATION_ERROR" | "UNKNOWN";
  message: string;
}

export interface OffsetSyncResult {
  startedMs: number;
  /** When the cycle had visited every selected group (whatever each outcome). */
  completedMs: number;
  /** Groups whose offsets were committed on the destination this cycle. */
  synced: string[];
  /** Partitions committed this cycle, over all groups. */
  partitions: number;
  /** Groups with members on the destination: left alone. */
  skippedActive: string[];
  errors: OffsetSyncError[];
}

export interface OffsetSyncClients {
  /** The source, as the link's principal. */
  source: Admin;
  /** The destination, as the emulator's admin key. */
  destination: Admin;
  /** Standalone commits on the destination. */
  committer: StandaloneOffsetCommitter;
}

/** Groups the emulator itself uses on the source; never synced. */
export const INTERNAL_GROUP_PREFIX = "_cluster-link-";

/** Groups worked on at once. */
const CONCURRENCY = 16;

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The task error code and message for a failure of a cycle or of one group. */
export function taskError(err: unknown): { code: OffsetSyncError["code"]; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  const type = (err as { type?: unknown } | undefined)?.type;
  const denied = (typeof type === "string" && type.includes("AUTHORIZATION")) || /authoriz/i.test(message);
  return { code: denied ? "AUTHORIZATION_ERROR" : "UNKNOWN", message };
}

function errorOf(group: string, err: unknown): OffsetSyncError {
  return { group, ...taskError(err) };
}

/** States in which a group on the destination has, or is gathering, members. */
function activeOnDestination(group: { state: string; members: unknown[] } | undefined): boolean {
  if (!group) return false;
  return group.members.length > 0 || !["Empty", "Dead", ""].includes(group.state);
}

export async function syncConsumerOffsets(
  clients: OffsetSyncClients,
  filters: GroupFilter[],
  topics: MirroredTopic[],
): Promise<OffsetSyncResult> {
  const result: OffsetSyncResult = {
    startedMs: Date.now(),
    completedMs: 0,
    synced: [],
    partitions: 0,
    skippedActive: [],
    errors: [],
  };
  if (topics.length === 0 || filters.length === 0) {
    result.completedMs = Date.now();
    return result;
  }
  const { source, destination, committer } = clients;
  const [{ groups }, ends] = await Promise.all([
    source.listGroups(),
    Promise.all(
      topics.map(async (t) => {
        const offsets = await destination.fetchTopicOffsets(t.mirrorTopic);
        return [t.mirrorTopic, new Map(offsets.map((p) => [p.partition, Number(p.high)]))] as const;
      }),
    ).then((entries) => new Map(entries)),
  ]);
  const selected = groups
    .map((g) => g.groupId)
    .filter((g) => !g.startsWith(INTERNAL_GROUP_PREFIX) && groupSelected(filters, g));
  const mirrorOf = new Map(topics.map((t) => [t.sourceTopic, t.mirrorTopic]));

  // Source: what each group committed that the mirror already holds.
  const wanted = new Map<string, TopicOffsets[]>();
  await forEachLimited(selected, CONCURRENCY, async (group) => {
    try {
      const committed = await source.fetchOffsets({ groupId: group, topics: topics.map((t) => t.sourceTopic) });
      const offsets = committed
        .map(({ topic, partitions }): TopicOffsets => {
          const mirror = mirrorOf.get(topic) ?? topic;
          const end = ends.get(mirror) ?? new Map<number, number>();
          return {
            topic: mirror,
            partitions: partitions
              .filter((p) => Number(p.offset) >= 0 && Number(p.offset) <= (end.get(p.partition) ?? -1))
              .map((p) => ({ partition: p.partition, offset: p.offset, metadata: p.metadata })),
          };
        })
        .filter((t) => t.partitions.length > 0);
      if (offsets.length > 0) wanted.set(group, offsets);
    } catch (err) {
      result.errors.push(errorOf(group, err));
    }
  });
  if (wanted.size > 0) {
    // Destination: leave groups with members alone (the coordinator would refuse them anyway).
    const described = new Map((await destination.describeGroups([...wanted.keys()])).groups.map((g) => [g.groupId, g]));
    const idle = [...wanted.keys()].filter((group) => {
      if (!activeOnDestination(described.get(group))) return true;
      result.skippedActive.push(group);
      return false;
    });
    await forEachLimited(idle, CONCURRENCY, async (group) => {
      const offsets = wanted.get(group) ?? [];
      try {
        await committer.commit(group, offsets);
        result.synced.push(group);
        result.partitions += offsets.reduce((n, t) => n + t.partitions.length, 0);
      } catch (err) {
        // The group gained members between DescribeGroups and the commit: same rule.
        if (err instanceof GroupInUseError) result.skippedActive.push(group);
        else result.errors.push(errorOf(group, err));
      }
    });
  }
  for (const list of [result.synced, result.skippedActive]) list.sort();
  result.errors.sort((a, b) => a.group.localeCompare(b.group));
  result.completedMs = Date.now();
  return result;
}
