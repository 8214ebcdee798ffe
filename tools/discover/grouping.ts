/**
 * Proposes migration groups: the connected components of the graph whose nodes are topics, consumer groups
 * and principals, with an edge wherever a consumer group reads a topic or a principal may read or write it.
 * A group cut over without a topic its consumers or producers also use would leave them split across the two
 * clusters, so every topic they touch moves with them.
 */
import { internalTopicReason, type ConsumerGroupInfo, type Inventory, type TopicAcl } from "./inventory";

export interface GroupingOptions {
  /**
   * Principals that tie nothing, e.g. the user discovery runs as (the link's user reads every topic) and
   * administrators. `User:` may be left out.
   */
  readonly ignorePrincipals?: readonly string[];
  /** The user discovery signs in as: usually the link's, which may read every topic, so it ties nothing. */
  readonly selfPrincipal?: string;
}

export interface ProposedGroup {
  readonly topics: readonly string[];
  readonly consumerGroups: readonly string[];
  /** Full ACL principals, e.g. `User:orders-app`. */
  readonly principals: readonly string[];
  /** Why the members belong together: each consumer group and principal with the topics it touches. */
  readonly reasons: readonly string[];
  /** What would stop or break this group's cutover until someone acts. */
  readonly blockers: readonly string[];
  /** What to know before the cutover, though it does not stop it. */
  readonly notes: readonly string[];
}

export interface IgnoredPrincipal {
  readonly principal: string;
  readonly reason: string;
}

export interface Grouping {
  readonly groups: readonly ProposedGroup[];
  readonly ignoredPrincipals: readonly IgnoredPrincipal[];
}

const READ_WRITE = new Set(["READ", "WRITE", "ALL"]);

export function proposeGroups(inventory: Inventory, opts: GroupingOptions = {}): Grouping {
  const inScope = new Set(inventory.topics.map((t) => t.name));
  const existing = new Set([...inScope, ...inventory.excludedTopics.map((t) => t.name)]);
  const uf = new UnionFind();
  for (const t of inScope) uf.add(`t:${t}`);

  const groupTopics = new Map<string, string[]>();
  for (const g of inventory.consumerGroups) {
    const topics = [...new Set([...g.committedTopics, ...g.assignedTopics])].filter((t) => inScope.has(t)).sort();
    if (topics.length === 0) continue;
    groupTopics.set(g.id, topics);
    for (const t of topics) uf.union(`g:${g.id}`, `t:${t}`);
  }

  const acls = Array.isArray(inventory.acls) ? (inventory.acls as readonly TopicAcl[]) : undefined;
  const { principalTopics, ignoredPrincipals } = principalsOnTopics(acls ?? [], inScope, opts);
  for (const [p, topics] of principalTopics) for (const t of topics.keys()) uf.union(`p:${p}`, `t:${t}`);

  const components = new Map<string, string[]>();
  for (const node of uf.nodes()) {
    const root = uf.find(node);
    components.set(root, [...(components.get(root) ?? []), node]);
  }
  const byId = new Map(inventory.consumerGroups.map((g) => [g.id, g]));
  const topicInfo = new Map(inventory.topics.map((t) => [t.name, t]));
  const groups: ProposedGroup[] = [];
  for (const nodes of components.values()) {
    const topics = nodes.filter((n) => n.startsWith("t:")).map((n) => n.slice(2));
    if (topics.length === 0) continue;
    topics.sort();
    const consumerGroups = nodes
      .filter((n) => n.startsWith("g:"))
      .map((n) => n.slice(2))
      .sort();
    const principals = nodes
      .filter((n) => n.startsWith("p:"))
      .map((n) => n.slice(2))
      .sort();
    const reasons: string[] = [];
    const blockers: string[] = [];
    const notes: string[] = [];
    for (const id of consumerGroups) {
      const g = byId.get(id) as ConsumerGroupInfo;
      const live = g.members.length > 0 ? `, ${g.members.length} live member${g.members.length > 1 ? "s" : ""}` : "";
      reasons.push(`consumer group ${id} reads ${list(groupTopics.get(id) ?? [])}${live}`);
      if (g.type === "consumer")
        notes.push(
          `consumer group ${id} is on the KIP-848 consumer protocol (group.protocol=consumer): the cutover makes it a consumer group on the destination before the switch (the destination principal needs READ on it), and its consumers rejoin there`,
        );
      if (g.type === "other")
        notes.push(`consumer group ${id} is a ${g.protocolType || "non-consumer"} group, not a plain consumer group`);
      const elsewhere = [...new Set([...g.committedTopics, ...g.assignedTopics])].filter(
        (t) => !inScope.has(t) && existing.has(t) && !internalTopicReason(t),
      );
      if (elsewhere.length > 0)
        blockers.push(
          `consumer group ${id} also reads ${list(elsewhere)}, left out by --topics: its offsets move with one group only, so those topics must move with this one (widen --topics)`,
        );
      const gone = g.committedTopics.filter((t) => !existing.has(t));
      if (gone.length > 0) notes.push(`consumer group ${id} has offsets on ${list(gone)}, which no longer exist`);
      if (g.committedTopics.filter((t) => inScope.has(t)).length === 0)
        notes.push(
          `consumer group ${id} has live members but no committed offset yet: the link has nothing to sync for it`,
        );
    }
    for (const p of principals) {
      const ops = principalTopics.get(p) ?? new Map<string, Set<string>>();
      const byOp = new Map<string, string[]>();
      for (const [t, o] of ops) {
        const key = [...o].sort().join("/");
        byOp.set(key, [...(byOp.get(key) ?? []), t]);
      }
      // In topic order, whatever order the broker listed the ACLs in, so the report reads the same every run.
      const what = [...byOp]
        .map(([op, ts]) => [op, ts.sort()] as const)
        .sort((a, b) => a[1][0].localeCompare(b[1][0]))
        .map(([op, ts]) => `${op} on ${list(ts)}`)
        .join("; ");
      reasons.push(`principal ${p} has ${what}`);
      const elsewhere = topicsOutsideScope(acls ?? [], p, inScope, existing);
      if (elsewhere.length > 0)
        blockers.push(
          `principal ${p} may also read or write ${list(elsewhere)}, left out by --topics: an application moves through one route, so those topics must move with this group (widen --topics)`,
        );
    }
    if (topics.length === 1 && consumerGroups.length + principals.length === 0)
      reasons.push(`${topics[0]} alone: no consumer group or principal ties it to another topic`);
    for (const t of topics) {
      const info = topicInfo.get(t);
      if (info && /compact/.test(info.cleanupPolicy))
        notes.push(
          `${t} has cleanup.policy=${info.cleanupPolicy}: Cluster Linking mirrors compacted topics as they are (the destination compacts on its own schedule)`,
        );
      if (!consumerGroups.some((id) => (groupTopics.get(id) ?? []).includes(t)))
        notes.push(
          `${t} has no consumer group with committed offsets or live members: either nothing reads it, or its readers do not commit (nothing carries their position across)`,
        );
      if (acls && !principals.some((p) => principalTopics.get(p)?.has(t)))
        notes.push(
          `no principal has a Read or Write ACL naming ${t}: its clients are super users, or ignored principals`,
        );
      const denied = (acls ?? []).filter((a) => a.permission === "DENY" && aclMatches(a, t));
      if (denied.length > 0)
        notes.push(
          `${t} has DENY ACLs (${[...new Set(denied.map((a) => `${a.principal} ${a.operation}`))].join(", ")}): carry them over by hand`,
        );
    }
    const txn = Array.isArray(inventory.transactionalProducers)
      ? inventory.transactionalProducers.filter((p) => topics.includes(p.topic))
      : [];
    if (txn.length > 0)
      blockers.push(
        `transactional producers write ${list([...new Set(txn.map((p) => p.topic))])} (producers ${[...new Set(txn.map((p) => p.producerId))].join(", ")}): a cutover refuses while they write; stop those applications for the cutover`,
      );
    groups.push({ topics, consumerGroups, principals, reasons, blockers, notes });
  }
  groups.sort((a, b) => a.topics[0].localeCompare(b.topics[0]));
  return { groups, ignoredPrincipals };
}

function principalsOnTopics(
  acls: readonly TopicAcl[],
  inScope: ReadonlySet<string>,
  opts: GroupingOptions,
): { principalTopics: Map<string, Map<string, Set<string>>>; ignoredPrincipals: IgnoredPrincipal[] } {
  const ignored = new Map<string, string>();
  const qualified = (p: string) => (p.includes(":") ? p : `User:${p}`);
  if (opts.selfPrincipal) ignored.set(qualified(opts.selfPrincipal), "the user discovery signs in as");
  for (const p of opts.ignorePrincipals ?? []) ignored.set(qualified(p), "ignored by request (--ignore-principal)");
  for (const a of acls) {
    if (a.permission !== "ALLOW" || !READ_WRITE.has(a.operation) || ignored.has(a.principal)) continue;
    // A wildcard would tie every topic into one group: such principals are shown, never used to group.
    if (a.principal.endsWith(":*")) ignored.set(a.principal, "wildcard principal: every user");
    else if (a.pattern === "LITERAL" && a.resourceName === "*")
      ignored.set(a.principal, "has an ACL on every topic (*): it would tie them all together");
  }
  const principalTopics = new Map<string, Map<string, Set<string>>>();
  for (const a of acls) {
    if (a.permission !== "ALLOW" || !READ_WRITE.has(a.operation) || ignored.has(a.principal)) continue;
    for (const t of inScope) {
      if (!aclMatches(a, t)) continue;
      const topics = principalTopics.get(a.principal) ?? new Map<string, Set<string>>();
      topics.set(t, (topics.get(t) ?? new Set<string>()).add(a.operation));
      principalTopics.set(a.principal, topics);
    }
  }
  const ignoredPrincipals = [...ignored].map(([principal, reason]) => ({ principal, reason }));
  return { principalTopics, ignoredPrincipals };
}

function topicsOutsideScope(
  acls: readonly TopicAcl[],
  principal: string,
  inScope: ReadonlySet<string>,
  existing: ReadonlySet<string>,
): string[] {
  const out = new Set<string>();
  for (const a of acls) {
    if (a.principal !== principal || a.permission !== "ALLOW" || !READ_WRITE.has(a.operation)) continue;
    for (const t of existing) if (!inScope.has(t) && !internalTopicReason(t) && aclMatches(a, t)) out.add(t);
  }
  return [...out].sort();
}

function aclMatches(a: TopicAcl, topic: string): boolean {
  if (a.pattern === "PREFIXED") return topic.startsWith(a.resourceName);
  return a.resourceName === "*" || a.resourceName === topic;
}

function list(items: readonly string[]): string {
  return items.join(", ");
}

/** Disjoint sets over string nodes, with path halving. */
class UnionFind {
  private readonly parent = new Map<string, string>();

  add(node: string): void {
    if (!this.parent.has(node)) this.parent.set(node, node);
  }

  find(node: string): string {
    this.add(node);
    let n = node;
    while (this.parent.get(n) !== n) {
      const grand = this.parent.get(this.parent.get(n) as string) as string;
      this.parent.set(n, grand);
      n = grand;
    }
    return n;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }

  nodes(): string[] {
    return [...this.parent.keys()];
  }
}
