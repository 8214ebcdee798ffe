/**
 * Which group protocol each of a migration group's consumer groups uses on the source: classic, or the
 * consumer protocol of KIP-848 (`group.protocol=consumer`, GA since Kafka 4.0). It matters at the switch: the
 * link's offset sync commits offsets on the destination, which makes each group there a classic group, and a
 * KIP-848 consumer that arrives with the member epoch it had on the source may not convert it: its heartbeat
 * gets GROUP_ID_NOT_FOUND ("Group … is not a consumer group") and the consumer dies
 * (GroupIdNotFoundException), unless the cutover converted the group first (consumerGroupConversion.ts; DESIGN.md,
 * "KIP-848 consumers at the switch").
 *
 * kafkajs 2.2.4 speaks only ListGroups v0–2 and DescribeGroups v0–2, which cannot name a group's type, but
 * together they tell it (seen on Kafka 4.1.1, tests/integration/cutover/preflightNamesKip848ConsumerGroups):
 * ListGroups lists a KIP-848 group with protocolType "consumer", like a classic consumer group, while
 * DescribeGroups below v6 answers it as "Dead" with no error and no protocol type, as it answers a group that
 * does not exist (from v6 on it is GROUP_ID_NOT_FOUND "Group … is not a classic group"). A classic group,
 * even empty or made only of committed offsets, is described in a live state (Empty, Stable, …).
 */
import type { Admin } from "kafkajs";

/** The admin calls the type is read with (a kafkajs Admin has them). */
export type GroupLister = Pick<Admin, "listGroups" | "describeGroups">;

/**
 * - `classic`: a classic group (members joined with JoinGroup, or only committed offsets);
 * - `consumer`: a KIP-848 consumer group (some or all members on `group.protocol=consumer`);
 * - `absent`: not listed: no member and no committed offset, or the principal may not describe it;
 * - `other`: listed as another kind of group (Connect, a share or streams group, …).
 */
export type GroupType = "classic" | "consumer" | "absent" | "other";

export async function groupTypes(admin: GroupLister, groupIds: readonly string[]): Promise<Map<string, GroupType>> {
  const wanted = new Set(groupIds);
  const listed = new Map(
    (await admin.listGroups()).groups.filter((g) => wanted.has(g.groupId)).map((g) => [g.groupId, g.protocolType]),
  );
  const described =
    listed.size > 0
      ? new Map((await admin.describeGroups([...listed.keys()])).groups.map((g) => [g.groupId, g]))
      : new Map();
  return new Map(
    groupIds.map((id): [string, GroupType] => {
      const protocolType = listed.get(id);
      if (protocolType === undefined) return [id, "absent"];
      const d = described.get(id);
      if (!d) return [id, "absent"];
      if (d.state === "Dead" && d.protocolType === "") return [id, protocolType === "consumer" ? "consumer" : "other"];
      return [id, d.protocolType === "consumer" || d.protocolType === "" ? "classic" : "other"];
    }),
  );
}

/** What the preview says about the groups on the consumer protocol; nothing when every group is classic. */
export function groupProtocolNotes(types: ReadonlyMap<string, GroupType>): string[] {
  const kip848 = [...types].filter(([, t]) => t === "consumer").map(([id]) => id);
  if (kip848.length === 0) return [];
  const one = kip848.length === 1;
  return [
    `consumer group${one ? "" : "s"} ${kip848.join(", ")} use${one ? "s" : ""} the consumer group protocol (KIP-848, group.protocol=consumer) on the source; the link's offset sync makes ${one ? "it a classic group" : "them classic groups"} on the destination, where such consumers would fail at the switch (GroupIdNotFoundException), so after promotion the cutover makes ${one ? "it a consumer group" : "them consumer groups"} there (one member joins and leaves; the destination principal needs READ on ${one ? "the group" : "each group"}): at the switch their consumers are told their member is unknown (logged, not fatal), rejoin and resume at the committed offsets, and may see the records of their first poll again`,
  ];
}
