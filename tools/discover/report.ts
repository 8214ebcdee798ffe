/** The human-readable report: what the cluster holds, who uses it, and the groups proposed from that. */
import type { Finding } from "./compare";
import type { Grouping } from "./grouping";
import type { Inventory, TopicAcl } from "./inventory";
import type { Proposal } from "./proposal";

export function renderReport(
  inventory: Inventory,
  grouping: Grouping,
  proposal: Proposal,
  findings: readonly Finding[],
): string {
  const out: string[] = [];
  out.push(
    `cluster ${inventory.clusterId}: ${inventory.brokers} broker${inventory.brokers === 1 ? "" : "s"}, ${inventory.topics.length} topics inventoried, ${inventory.excludedTopics.length} excluded, ${inventory.consumerGroups.length} consumer groups`,
  );

  out.push("", "topics (bytes need DescribeLogDirs, which kafkajs lacks: unknown; records = log-end − log-start):");
  out.push(
    table(
      ["topic", "partitions", "cleanup.policy", "retention.ms", "retention.bytes", "records", "bytes"],
      inventory.topics.map((t) => [
        t.name,
        String(t.partitions),
        t.cleanupPolicy,
        t.retentionMs,
        t.retentionBytes,
        String(t.records),
        t.bytes,
      ]),
    ),
  );
  // Internal topics by name; those --topics left out only counted, as a filtered run on 500 topics would list hundreds.
  const filtered = inventory.excludedTopics.filter((t) => t.reason === "does not match --topics");
  const internal = inventory.excludedTopics.filter((t) => t.reason !== "does not match --topics");
  if (inventory.excludedTopics.length > 0) {
    out.push("", "excluded topics:");
    for (const t of internal) out.push(`  ${t.name}  (${t.reason})`);
    if (filtered.length > 0) out.push(`  and ${filtered.length} topics that do not match --topics`);
  }

  const inScope = new Set(inventory.topics.map((t) => t.name));
  const relevant = inventory.consumerGroups.filter((g) =>
    [...g.committedTopics, ...g.assignedTopics].some((t) => inScope.has(t)),
  );
  const others = inventory.consumerGroups.length - relevant.length;
  out.push("", `consumer groups on these topics${others > 0 ? ` (${others} more read none of them)` : ""}:`);
  if (relevant.length === 0) out.push("  none");
  for (const g of relevant) {
    const proto = g.type === "consumer" ? "KIP-848 consumer protocol" : g.type;
    out.push(`  ${g.id}  [${proto}, ${g.state}]`);
    out.push(`    committed offsets on: ${g.committedTopics.join(", ") || "none"}`);
    if (g.assignedTopics.length > 0) out.push(`    assigned to live members: ${g.assignedTopics.join(", ")}`);
    for (const m of g.members) out.push(`    member ${m.clientId} @ ${m.host}`);
  }

  out.push("", "principals with Read/Write ACLs, per topic:");
  if (!Array.isArray(inventory.acls)) {
    out.push(`  unknown: ${(inventory.acls as { unavailable: string }).unavailable}`);
  } else {
    const acls = inventory.acls as readonly TopicAcl[];
    for (const t of inventory.topics) {
      const on = acls.filter(
        (a) =>
          ["READ", "WRITE", "ALL"].includes(a.operation) &&
          (a.pattern === "PREFIXED"
            ? t.name.startsWith(a.resourceName)
            : a.resourceName === t.name || a.resourceName === "*"),
      );
      const desc = [...on]
        .sort((a, b) => a.principal.localeCompare(b.principal) || a.operation.localeCompare(b.operation))
        .map(
          (a) =>
            `${a.principal} ${a.permission === "DENY" ? "DENY " : ""}${a.operation}${a.pattern === "PREFIXED" ? ` (prefix ${a.resourceName})` : a.resourceName === "*" ? " (*)" : ""}`,
        );
      out.push(`  ${t.name}: ${desc.join(", ") || "none"}`);
    }
  }
  for (const p of grouping.ignoredPrincipals) out.push(`  not used to group topics: ${p.principal} (${p.reason})`);
  const txn = inventory.transactionalProducers;
  if ("unavailable" in txn) out.push("", `transactional producers: not read (${txn.unavailable})`);
  else if (txn.length === 0) out.push("", "transactional producers: none on these topics");
  else {
    out.push("", "transactional producers (a cutover refuses while they write):");
    for (const p of txn)
      out.push(
        `  ${p.topic}[${p.partition}]: producer ${p.producerId}, last write ${new Date(p.lastWriteAt).toISOString()}${p.openTransactionFrom !== undefined ? `, transaction open since offset ${p.openTransactionFrom}` : ""}`,
      );
  }

  out.push("", `proposed groups (${proposal.entries.length}):`);
  proposal.entries.forEach((e, i) => {
    const g = grouping.groups[i];
    out.push(`  ${e.name}: ${e.topics.join(", ")}`);
    out.push(`    consumer groups: ${e.consumerGroups.join(", ") || "none"}`);
    if (g.principals.length > 0) out.push(`    principals: ${g.principals.join(", ")}`);
    for (const r of g.reasons) out.push(`    why: ${r}`);
    for (const b of g.blockers) out.push(`    BLOCKER: ${b}`);
    for (const n of g.notes) out.push(`    note: ${n}`);
  });
  if (findings.length > 0) {
    out.push("", "the stack config's groups against the cluster:");
    for (const f of findings) out.push(`  ${f.group}: ${f.message}`);
  }
  return out.join("\n") + "\n";
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return "  none";
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    "  " +
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
