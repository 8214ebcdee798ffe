// One round of consumer offset sync for a link: committed offsets of the selected source groups, for
// the mirrored topics, are copied to the same group on the destination — never for a group that is
// active on the destination (it owns its offsets there), and only up to what the mirror already holds.
import type { Admin } from "kafkajs";
import { groupSelected, type GroupFilter } from "./groupFilters";

export interface MirroredTopic {
  sourceTopic: string;
  mirrorTopic: string;
}

export interface OffsetSyncResult {
  completedMs: number;
  synced: string[];
  /** Groups with members on the destination: left alone. */
  skippedActive: string[];
  errors: { group: string; message: string }[];
}

/** Groups the emulator itself uses on the source; never synced. */
export const INTERNAL_GROUP_PREFIX = "_cluster-link-";

async function endOffsets(admin: Admin, topic: string): Promise<Map<number, number>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
}

export async function syncConsumerOffsets(
  source: Admin,
  destination: Admin,
  filters: GroupFilter[],
  topics: MirroredTopic[],
): Promise<OffsetSyncResult> {
  const result: OffsetSyncResult = { completedMs: 0, synced: [], skippedActive: [], errors: [] };
  if (topics.length > 0 && filters.length > 0) {
    const { groups } = await source.listGroups();
    const selected = groups
      .map((g) => g.groupId)
      .filter((g) => !g.startsWith(INTERNAL_GROUP_PREFIX) && groupSelected(filters, g));
    const ends = new Map<string, Map<number, number>>();
    for (const t of topics) ends.set(t.mirrorTopic, await endOffsets(destination, t.mirrorTopic));
    const mirrorOf = new Map(topics.map((t) => [t.sourceTopic, t.mirrorTopic]));
    for (const group of selected) {
      try {
        const committed = await source.fetchOffsets({ groupId: group, topics: topics.map((t) => t.sourceTopic) });
        const wanted = committed
          .map(({ topic, partitions }) => {
            const mirror = mirrorOf.get(topic) ?? topic;
            const end = ends.get(mirror) ?? new Map<number, number>();
            const caughtUp = partitions.filter((p) => Number(p.offset) >= 0 && Number(p.offset) <= (end.get(p.partition) ?? -1));
            return { topic: mirror, partitions: caughtUp.map((p) => ({ partition: p.partition, offset: p.offset })) };
          })
          .filter((t) => t.partitions.length > 0);
        if (wanted.length === 0) continue;
        const [described] = (await destination.describeGroups([group])).groups;
        if (described && described.state !== "Empty" && described.state !== "Dead" && described.members.length > 0) {
          result.skippedActive.push(group);
          continue;
        }
        for (const t of wanted) await destination.setOffsets({ groupId: group, topic: t.topic, partitions: t.partitions });
        result.synced.push(group);
      } catch (err) {
        const message = (err as Error).message;
        // kafkajs refuses setOffsets on a group that gained members meanwhile: that is the same rule.
        if (/running instances|not empty|rebalanc/i.test(message)) result.skippedActive.push(group);
        else result.errors.push({ group, message });
      }
    }
  }
  result.completedMs = Date.now();
  return result;
}
