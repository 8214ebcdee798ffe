/**
 * The carry-over of a group's ACLs: what a mapped principal may do on the destination, it could do on the
 * source (from every host); with one destination principal per source principal and ACLs for every host,
 * exactly that. Judged by a model of Kafka's authorizer over both sets of bindings, on hand-written cases
 * and on seeded random ones.
 */
import type { AclBinding, AclOperation, AclResourceType } from "../../../dynamic/acls/bindings";
import { carryOverAcls, patternCovers, type CarryOverScope } from "../../../dynamic/acls/carryOver";

/** Kafka's rule: READ, WRITE, DELETE and ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS. */
const IMPLIED_BY: Partial<Record<AclOperation, AclOperation[]>> = {
  DESCRIBE: ["READ", "WRITE", "DELETE", "ALTER"],
  DESCRIBE_CONFIGS: ["ALTER_CONFIGS"],
};

/** StandardAuthorizer without super users and with allow.everyone.if.no.acl.found=false: a DENY wins, else an ALLOW. */
function authorized(
  acls: readonly AclBinding[],
  principal: string,
  host: string,
  resourceType: AclResourceType,
  name: string,
  op: AclOperation,
): boolean {
  const matches = (b: AclBinding, ops: AclOperation[]) =>
    b.resourceType === resourceType &&
    patternCovers(b, name) &&
    (b.principal === principal || b.principal === `${principal.split(":")[0]}:*`) &&
    (b.host === "*" || b.host === host) &&
    (b.operation === "ALL" || ops.includes(b.operation));
  if (acls.some((b) => b.permission === "DENY" && matches(b, [op]))) return false;
  return acls.some((b) => b.permission === "ALLOW" && matches(b, [op, ...(IMPLIED_BY[op] ?? [])]));
}

const OPS: AclOperation[] = [
  "READ",
  "WRITE",
  "CREATE",
  "DELETE",
  "ALTER",
  "DESCRIBE",
  "DESCRIBE_CONFIGS",
  "ALTER_CONFIGS",
];

function acl(
  permission: "ALLOW" | "DENY",
  principal: string,
  operation: AclOperation,
  resourceType: AclResourceType,
  resourceName: string,
  more: Partial<AclBinding> = {},
): AclBinding {
  return { permission, principal, operation, resourceType, resourceName, patternType: "LITERAL", host: "*", ...more };
}

const scope: CarryOverScope = {
  topics: { orders: "orders", "orders.v2": "orders.v2" },
  consumerGroups: ["orders-reader"],
  principals: { "User:alice": "User:sa-alice", "User:bob": "User:sa-bob" },
  ignorePrincipals: ["User:cutover-link"],
};

/**
 * For every mapped principal, group resource and operation: allowed on the destination ⇒ allowed on the
 * source from every host; with `exact`, ⇔ from any host.
 */
function expectNoMoreThanTheSource(source: AclBinding[], s: CarryOverScope, exact: boolean): void {
  const { bindings } = carryOverAcls(source, s);
  const resources: [AclResourceType, string, string][] = [
    ...Object.entries(s.topics).map(([src, dst]): [AclResourceType, string, string] => ["TOPIC", src, dst]),
    ...s.consumerGroups.map((g): [AclResourceType, string, string] => ["GROUP", g, g]),
  ];
  for (const [from, to] of Object.entries(s.principals))
    for (const [type, src, dst] of resources)
      for (const op of [...OPS, "ALL" as const].filter((o) => o !== "ALL")) {
        const there = authorized(bindings, to, "198.51.100.7", type, dst, op);
        const hereEverywhere = ["*", "10.0.0.1", "198.51.100.7"].every((h) =>
          authorized(source, from, h === "*" ? "203.0.113.9" : h, type, src, op),
        );
        if (there && !hereEverywhere)
          throw new Error(`${to} may ${op} ${type}:${dst} on the destination; ${from} could not on the source`);
        if (exact && !there && authorized(source, from, "203.0.113.9", type, src, op))
          throw new Error(`${to} may not ${op} ${type}:${dst} on the destination; ${from} could on the source`);
      }
  for (const b of bindings) {
    expect(b.patternType).toBe("LITERAL");
    expect(b.host).toBe("*");
    expect(Object.values(s.principals)).toContain(b.principal);
    if (b.resourceType === "TOPIC") expect(Object.values(s.topics)).toContain(b.resourceName);
    else expect(s.consumerGroups).toContain(b.resourceName);
  }
}

describe("carryOverAcls", () => {
  it("carries a principal's literal ACLs on the group's topics and consumer groups, mapped, and nothing else", () => {
    const source = [
      acl("ALLOW", "User:alice", "READ", "TOPIC", "orders"),
      acl("ALLOW", "User:alice", "READ", "GROUP", "orders-reader"),
      acl("ALLOW", "User:alice", "WRITE", "TOPIC", "orders.v2"),
      acl("ALLOW", "User:alice", "READ", "TOPIC", "payments"),
      acl("ALLOW", "User:alice", "READ", "GROUP", "payments-reader"),
    ];
    const out = carryOverAcls(source, scope);
    expect(out.bindings).toEqual([
      acl("ALLOW", "User:sa-alice", "READ", "GROUP", "orders-reader"),
      acl("ALLOW", "User:sa-alice", "READ", "TOPIC", "orders"),
      acl("ALLOW", "User:sa-alice", "WRITE", "TOPIC", "orders.v2"),
    ]);
    expect(out.notCarried).toEqual([]);
    // bob is mapped but the source allows him nothing here: said, so nobody expects his clients to work.
    expect(out.notes).toEqual([expect.stringMatching(/^User:bob → User:sa-bob: nothing is allowed/)]);
  });

  it("turns a prefixed or wildcard grant into literal grants on exactly the group's resources it covers", () => {
    const source = [
      acl("ALLOW", "User:alice", "READ", "TOPIC", "ord", { patternType: "PREFIXED" }),
      acl("ALLOW", "User:alice", "DESCRIBE", "TOPIC", "*"),
      acl("ALLOW", "User:alice", "READ", "GROUP", "*"),
      acl("ALLOW", "User:alice", "WRITE", "TOPIC", "orders.v", { patternType: "PREFIXED" }),
    ];
    const { bindings } = carryOverAcls(source, scope);
    expect(bindings).toEqual([
      acl("ALLOW", "User:sa-alice", "READ", "GROUP", "orders-reader"),
      acl("ALLOW", "User:sa-alice", "DESCRIBE", "TOPIC", "orders"),
      acl("ALLOW", "User:sa-alice", "READ", "TOPIC", "orders"),
      acl("ALLOW", "User:sa-alice", "DESCRIBE", "TOPIC", "orders.v2"),
      acl("ALLOW", "User:sa-alice", "READ", "TOPIC", "orders.v2"),
      acl("ALLOW", "User:sa-alice", "WRITE", "TOPIC", "orders.v2"),
    ]);
  });

  it("names topics as the destination does", () => {
    const renamed = { ...scope, topics: { orders: "src.orders" } };
    const { bindings } = carryOverAcls([acl("ALLOW", "User:alice", "WRITE", "TOPIC", "orders")], renamed);
    expect(bindings).toEqual([acl("ALLOW", "User:sa-alice", "WRITE", "TOPIC", "src.orders")]);
  });

  it("carries DENY as it is, so a wildcard grant with an exception stays an exception", () => {
    const source = [
      acl("ALLOW", "User:alice", "ALL", "TOPIC", "*"),
      acl("DENY", "User:alice", "WRITE", "TOPIC", "orders"),
    ];
    const { bindings } = carryOverAcls(source, scope);
    expect(bindings).toContainEqual(acl("DENY", "User:sa-alice", "WRITE", "TOPIC", "orders"));
    expectNoMoreThanTheSource(source, scope, true);
  });

  it("binds every mapped principal by an ACL of the wildcard principal, and never grants to User:*", () => {
    const source = [acl("ALLOW", "User:*", "READ", "TOPIC", "orders"), acl("DENY", "User:*", "DELETE", "TOPIC", "*")];
    const { bindings } = carryOverAcls(source, scope);
    expect(bindings.filter((b) => b.principal.endsWith(":*"))).toEqual([]);
    expect(bindings).toContainEqual(acl("ALLOW", "User:sa-alice", "READ", "TOPIC", "orders"));
    expect(bindings).toContainEqual(acl("ALLOW", "User:sa-bob", "READ", "TOPIC", "orders"));
    expect(bindings).toContainEqual(acl("DENY", "User:sa-bob", "DELETE", "TOPIC", "orders.v2"));
    expectNoMoreThanTheSource(source, scope, true);
  });

  it("does not carry an ALLOW from one host (it would allow every host), and carries a DENY from one host for every host", () => {
    const source = [
      acl("ALLOW", "User:alice", "READ", "TOPIC", "orders", { host: "10.0.0.1" }),
      acl("ALLOW", "User:alice", "WRITE", "TOPIC", "orders"),
      acl("DENY", "User:alice", "WRITE", "TOPIC", "orders", { host: "10.0.0.2" }),
    ];
    const out = carryOverAcls(source, scope);
    expect(out.bindings).toEqual([
      acl("ALLOW", "User:sa-alice", "WRITE", "TOPIC", "orders"),
      acl("DENY", "User:sa-alice", "WRITE", "TOPIC", "orders"),
    ]);
    expect(out.notCarried).toEqual([
      expect.stringMatching(/^ALLOW User:alice READ TOPIC:orders from host 10\.0\.0\.1: .*would allow every host/),
    ]);
    expect(out.notes).toContainEqual(
      expect.stringMatching(/^DENY User:alice WRITE TOPIC:orders from host 10\.0\.0\.2 is carried for every host/),
    );
    expectNoMoreThanTheSource(source, scope, false);
  });

  it("reports an unmapped principal's ACLs on the group's resources instead of dropping them, and ignores the program's own user", () => {
    const source = [
      acl("ALLOW", "User:carol", "READ", "TOPIC", "orders"),
      acl("ALLOW", "User:carol", "READ", "GROUP", "orders-reader"),
      acl("ALLOW", "User:carol", "READ", "TOPIC", "payments"),
      acl("ALLOW", "User:cutover-link", "READ", "TOPIC", "*"),
    ];
    const out = carryOverAcls(source, scope);
    expect(out.bindings).toEqual([]);
    expect(out.notCarried).toEqual([
      "User:carol has ALLOW User:carol READ TOPIC:orders, ALLOW User:carol READ GROUP:orders-reader on the source, but no destination principal is given for it: not carried",
    ]);
  });

  it("reports cluster and transactional-id ACLs of mapped principals as not carried", () => {
    const source = [
      acl("ALLOW", "User:alice", "IDEMPOTENT_WRITE", "CLUSTER", "kafka-cluster"),
      acl("ALLOW", "User:alice", "WRITE", "TRANSACTIONAL_ID", "orders-tx"),
      acl("ALLOW", "User:dave", "ALTER", "CLUSTER", "kafka-cluster"),
    ];
    const out = carryOverAcls(source, scope);
    expect(out.bindings).toEqual([]);
    expect(out.notCarried).toEqual([
      expect.stringMatching(/^ALLOW User:alice IDEMPOTENT_WRITE CLUSTER:kafka-cluster: a CLUSTER ACL is not scoped/),
      expect.stringMatching(/^ALLOW User:alice WRITE TRANSACTIONAL_ID:orders-tx: a TRANSACTIONAL_ID ACL is not scoped/),
    ]);
  });

  it("says so when principals share a destination principal: rights pool, and one's DENY binds the others", () => {
    const shared = { ...scope, principals: { "User:alice": "User:sa-apps", "User:bob": "User:sa-apps" } };
    const source = [
      acl("ALLOW", "User:alice", "READ", "TOPIC", "orders"),
      acl("ALLOW", "User:bob", "WRITE", "TOPIC", "orders"),
      acl("DENY", "User:alice", "WRITE", "TOPIC", "orders.v2"),
    ];
    const out = carryOverAcls(source, shared);
    expect(out.bindings).toEqual([
      acl("ALLOW", "User:sa-apps", "READ", "TOPIC", "orders"),
      acl("ALLOW", "User:sa-apps", "WRITE", "TOPIC", "orders"),
      acl("DENY", "User:sa-apps", "WRITE", "TOPIC", "orders.v2"),
    ]);
    expect(out.notes).toEqual([
      "User:alice, User:bob all become User:sa-apps on the destination: each may do there what any of them could on the source",
      "DENY User:sa-apps WRITE TOPIC:orders.v2 (from User:alice) also denies User:bob",
    ]);
  });

  it("never grants more than the source on random ACL sets, and exactly as much when every ACL is for every host", () => {
    // A seeded generator (mulberry32), so a failure reproduces.
    let seed = 0x5eed;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const principals = ["User:alice", "User:bob", "User:*", "User:carol", "User:cutover-link"];
    const topicNames = ["orders", "orders.v2", "payments", "*"];
    const prefixes = ["ord", "orders.", "pay", "o"];
    const groupNames = ["orders-reader", "payments-reader", "*"];
    for (let round = 0; round < 400; round++) {
      const everyHost = round % 2 === 0;
      const source: AclBinding[] = Array.from({ length: 1 + Math.floor(random() * 8) }, () => {
        const type: AclResourceType = random() < 0.7 ? "TOPIC" : "GROUP";
        const prefixed = random() < 0.3;
        return acl(
          random() < 0.7 ? "ALLOW" : "DENY",
          pick(principals),
          pick([...OPS, "ALL" as const]),
          type,
          prefixed
            ? pick(type === "TOPIC" ? prefixes : ["orders-", "pay"])
            : pick(type === "TOPIC" ? topicNames : groupNames),
          { patternType: prefixed ? "PREFIXED" : "LITERAL", host: everyHost || random() < 0.6 ? "*" : "10.0.0.1" },
        );
      });
      try {
        expectNoMoreThanTheSource(source, scope, everyHost);
      } catch (err) {
        throw new Error(`round ${round}: ${(err as Error).message}\nsource: ${JSON.stringify(source)}`);
      }
    }
  });
});
