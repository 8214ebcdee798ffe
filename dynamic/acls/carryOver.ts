/**
 * Which ACLs a migration group's principals get on the destination, from what the source allows them on
 * the group's topics and consumer groups. Pure: the provider reads the source and writes the destination.
 *
 * The rule is narrower-or-equal, never wider. Every binding made is LITERAL, for every host (`*`, the only
 * host Confluent Cloud takes), on one of the group's own topics or consumer groups, for a mapped principal:
 * - a source ACL on the `*` resource or on a prefix becomes one binding per group resource it covers;
 * - an ACL of the wildcard principal (`User:*`) binds every mapped principal of that type;
 * - DENY is carried like ALLOW (dropping one would widen); a DENY from one host is carried for every host;
 * - an ALLOW from one host is not carried (it would allow every host) and is reported;
 * - an ACL of an unmapped principal, or on a cluster or transactional id, is reported, never dropped silently.
 */
import { type AclBinding, describeBinding, sortedBindings } from "./bindings";

export interface CarryOverScope {
  /** Source topic → its name on the destination. */
  readonly topics: Readonly<Record<string, string>>;
  readonly consumerGroups: readonly string[];
  /** Source principal (`User:alice`) → the destination principal that gets its ACLs (`User:sa-abc123`). */
  readonly principals: Readonly<Record<string, string>>;
  /** Principals that are not the group's applications (the program's own source user): neither carried nor reported. */
  readonly ignorePrincipals?: readonly string[];
}

export interface CarriedAcls {
  /** The destination's bindings, sorted. */
  readonly bindings: AclBinding[];
  /** Source ACLs on the group's resources that are not carried, each with why. */
  readonly notCarried: string[];
  /** Carried, but the destination is narrower than the source, or a principal gets nothing: each says how. */
  readonly notes: string[];
}

/** The ACL resource types a migration group owns resources of; the others (cluster, transactional ids) are not scoped to one group. */
const GROUP_SCOPED = new Set(["TOPIC", "GROUP"]);

function principalType(principal: string): string {
  return principal.slice(0, principal.indexOf(":"));
}

/** Whether `b`'s resource pattern covers the resource `name` (LITERAL name or `*`; PREFIXED prefix). */
export function patternCovers(b: Pick<AclBinding, "patternType" | "resourceName">, name: string): boolean {
  if (b.patternType === "PREFIXED") return name.startsWith(b.resourceName);
  return b.resourceName === name || b.resourceName === "*";
}

/** The carry-over of one group's ACLs (see the top of this file). */
export function carryOverAcls(source: readonly AclBinding[], scope: CarryOverScope): CarriedAcls {
  const ignored = new Set(scope.ignorePrincipals ?? []);
  const mapped = Object.keys(scope.principals);
  const carried = new Map<string, { binding: AclBinding; from: Set<string> }>();
  const notCarried: string[] = [];
  const notes: string[] = [];
  const unmapped = new Map<string, string[]>();

  for (const b of source) {
    if (ignored.has(b.principal)) continue;
    const wildcard = b.principal.endsWith(":*");
    // Whose rights this ACL shapes among the mapped principals: its own, or all of its type for `User:*`.
    const targets = wildcard
      ? mapped.filter((p) => principalType(p) === principalType(b.principal))
      : mapped.filter((p) => p === b.principal);
    if (!GROUP_SCOPED.has(b.resourceType)) {
      if (targets.length > 0)
        notCarried.push(
          `${describeBinding(b)}: a ${b.resourceType} ACL is not scoped to the group's topics and consumer groups; grant it on the destination yourself if the applications need it`,
        );
      continue;
    }
    const names =
      b.resourceType === "TOPIC"
        ? Object.keys(scope.topics).filter((t) => patternCovers(b, t))
        : scope.consumerGroups.filter((g) => patternCovers(b, g));
    if (names.length === 0) continue;
    if (targets.length === 0) {
      if (!wildcard) unmapped.set(b.principal, [...(unmapped.get(b.principal) ?? []), describeBinding(b)]);
      continue;
    }
    if (b.host !== "*") {
      if (b.permission === "ALLOW") {
        notCarried.push(
          `${describeBinding(b)}: the destination takes ACLs for every host only (Confluent Cloud accepts host '*'), so carrying it would allow every host`,
        );
        continue;
      }
      notes.push(
        `${describeBinding(b)} is carried for every host: the destination then also denies it from the other hosts`,
      );
    }
    for (const target of targets) {
      for (const name of names) {
        const binding: AclBinding = {
          resourceType: b.resourceType,
          resourceName: b.resourceType === "TOPIC" ? scope.topics[name] : name,
          patternType: "LITERAL",
          principal: scope.principals[target],
          host: "*",
          operation: b.operation,
          permission: b.permission,
        };
        const key = describeBinding(binding);
        const entry = carried.get(key) ?? { binding, from: new Set<string>() };
        entry.from.add(target);
        carried.set(key, entry);
      }
    }
  }

  for (const [principal, acls] of unmapped)
    notCarried.push(
      `${principal} has ${acls.join(", ")} on the source, but no destination principal is given for it: not carried`,
    );
  notes.push(...sharedPrincipalNotes(scope.principals, [...carried.values()]));
  const bindings = sortedBindings([...carried.values()].map((c) => c.binding));
  for (const [from, to] of Object.entries(scope.principals)) {
    if (!bindings.some((b) => b.principal === to && b.permission === "ALLOW"))
      notes.push(
        `${from} → ${to}: nothing is allowed on the destination, since the source allows ${from} nothing on the group's topics and consumer groups`,
      );
  }
  return { bindings, notCarried, notes };
}

/**
 * Several source principals mapped to one destination principal (create mode's service account per group)
 * pool their rights: each then may do what any of them could, and one's DENY binds them all. Said, not hidden.
 */
function sharedPrincipalNotes(
  principals: Readonly<Record<string, string>>,
  carried: readonly { binding: AclBinding; from: Set<string> }[],
): string[] {
  const byDestination = new Map<string, string[]>();
  for (const [from, to] of Object.entries(principals)) byDestination.set(to, [...(byDestination.get(to) ?? []), from]);
  const notes: string[] = [];
  for (const [to, froms] of byDestination) {
    if (froms.length < 2) continue;
    notes.push(
      `${froms.join(", ")} all become ${to} on the destination: each may do there what any of them could on the source`,
    );
    for (const c of carried) {
      if (c.binding.principal !== to || c.binding.permission !== "DENY") continue;
      const others = froms.filter((f) => !c.from.has(f));
      if (others.length > 0)
        notes.push(`${describeBinding(c.binding)} (from ${[...c.from].join(", ")}) also denies ${others.join(", ")}`);
    }
  }
  return notes;
}
