/**
 * Checks groups already written in the stack config against what the cluster shows: a consumer group that
 * reads a configured group's topics but is not listed would not have its offsets carried across, and a topic
 * tied to a group but left out would be split from its clients.
 */
import type { Grouping } from "./grouping";
import type { Inventory } from "./inventory";

/** A group as the stack file holds it (`kafka-cutover:groups[i]`), before validation. */
export interface ConfiguredGroup {
  readonly name: string;
  readonly topics: readonly string[];
  readonly consumerGroups: readonly string[];
}

export interface Finding {
  readonly group: string;
  readonly kind: "unlisted-consumer" | "missing-topic";
  readonly message: string;
}

export function compareWithConfigured(
  inventory: Inventory,
  grouping: Grouping,
  configured: readonly ConfiguredGroup[],
): Finding[] {
  const findings: Finding[] = [];
  const listedAnywhere = new Map<string, string>();
  for (const c of configured) for (const cg of c.consumerGroups) listedAnywhere.set(cg, c.name);
  for (const c of configured) {
    const topics = new Set(c.topics);
    const listed = new Set(c.consumerGroups);
    for (const g of inventory.consumerGroups) {
      const reads = [...new Set([...g.committedTopics, ...g.assignedTopics])].filter((t) => topics.has(t)).sort();
      if (reads.length === 0 || listed.has(g.id)) continue;
      const elsewhere = listedAnywhere.get(g.id);
      const members = g.members.map((m) => `${m.clientId}@${m.host}`);
      findings.push({
        group: c.name,
        kind: "unlisted-consumer",
        message:
          `consumer group ${g.id} reads ${reads.join(", ")} but is not in ${c.name}'s consumerGroups` +
          (elsewhere ? ` (it is listed in ${elsewhere}: the two groups share it and must be one)` : "") +
          (members.length > 0 ? `; live members: ${members.join(", ")}` : "") +
          ": its offsets would not be carried across, and it would replay or skip records",
      });
    }
    const tied = new Set(grouping.groups.filter((p) => p.topics.some((t) => topics.has(t))).flatMap((p) => p.topics));
    const missing = [...tied].filter((t) => !topics.has(t)).sort();
    if (missing.length > 0)
      findings.push({
        group: c.name,
        kind: "missing-topic",
        message: `${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} tied to ${c.name}'s topics by shared consumer groups or principals, but not in it`,
      });
  }
  return findings;
}
