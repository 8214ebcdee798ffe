/**
 * Discovery's grouping on a hand-made inventory: topics tied by a consumer group or a principal end up in one
 * proposed group, a lone topic in its own, and the proposal is a groups section the program's validator accepts.
 */
import YAML from "yaml";
import { validateStackConfig } from "../../../config";
import { compareWithConfigured } from "../../../tools/discover/compare";
import { proposeGroups } from "../../../tools/discover/grouping";
import type { ConsumerGroupInfo, Inventory, TopicAcl, TopicInfo } from "../../../tools/discover/inventory";
import { buildProposal, renderProposal } from "../../../tools/discover/proposal";
import { rawConfig, validPlain, validSecrets } from "../config/rawConfig";

function topic(name: string, cleanupPolicy = "delete"): TopicInfo {
  return {
    name,
    partitions: 3,
    cleanupPolicy,
    retentionMs: "604800000",
    retentionBytes: "-1",
    records: 10,
    bytes: "unknown",
  };
}

function group(id: string, committedTopics: string[], extra: Partial<ConsumerGroupInfo> = {}): ConsumerGroupInfo {
  return {
    id,
    type: "classic",
    protocolType: "consumer",
    state: "Empty",
    committedTopics,
    assignedTopics: [],
    members: [],
    ...extra,
  };
}

function acl(
  principal: string,
  operation: TopicAcl["operation"],
  resourceName: string,
  pattern: TopicAcl["pattern"] = "LITERAL",
): TopicAcl {
  return { principal, host: "*", operation, permission: "ALLOW", pattern, resourceName };
}

/** orders+payments share a consumer group; invoices+ledger share a principal; audit stands alone. */
function inventory(over: Partial<Inventory> = {}): Inventory {
  return {
    clusterId: "test-cluster",
    brokers: 3,
    topics: ["audit", "invoices", "ledger", "orders", "payments"].map((t) =>
      topic(t, t === "audit" ? "compact" : "delete"),
    ),
    excludedTopics: [{ name: "__consumer_offsets", reason: "internal" }],
    consumerGroups: [
      group("orders-svc", ["orders", "payments"], {
        state: "Stable",
        members: [{ memberId: "m1", clientId: "orders-app", host: "/10.0.0.7" }],
      }),
      group("invoice-reader", ["invoices"]),
    ],
    acls: [
      acl("User:billing-app", "READ", "invoices"),
      acl("User:billing-app", "WRITE", "ledger"),
      acl("User:orders-app", "READ", "orders"),
      // The link's user reads everything: if it tied topics, every topic would land in one group.
      acl("User:cutover-link", "READ", "*"),
      acl("User:admin", "ALL", "", "PREFIXED"),
    ],
    transactionalProducers: [],
    ...over,
  };
}

const topicsOf = (g: { topics: readonly string[] }) => g.topics;

describe("discovery's grouping", () => {
  it("puts topics tied by a consumer group together, topics tied by a principal together, and a lone topic alone", () => {
    const { groups } = proposeGroups(inventory(), { selfPrincipal: "admin" });
    expect(groups.map(topicsOf)).toEqual([["audit"], ["invoices", "ledger"], ["orders", "payments"]]);
    const [audit, billing, orders] = groups;
    expect(orders.consumerGroups).toEqual(["orders-svc"]);
    expect(orders.principals).toEqual(["User:orders-app"]);
    expect(orders.reasons).toContain("consumer group orders-svc reads orders, payments, 1 live member");
    expect(billing.consumerGroups).toEqual(["invoice-reader"]);
    expect(billing.principals).toEqual(["User:billing-app"]);
    expect(billing.reasons).toContain("principal User:billing-app has READ on invoices; WRITE on ledger");
    expect(audit.reasons).toEqual(["audit alone: no consumer group or principal ties it to another topic"]);
  });

  it("never lets a principal with an ACL on every topic, or the user discovery runs as, merge the groups", () => {
    const { ignoredPrincipals } = proposeGroups(inventory(), { selfPrincipal: "admin" });
    expect(ignoredPrincipals.map((p) => p.principal).sort()).toEqual(["User:admin", "User:cutover-link"]);
    // Without the self rule, admin's prefix-"" ACL covers every topic and ties them all: the rule is what separates them.
    expect(proposeGroups(inventory()).groups).toHaveLength(1);
  });

  it("notes a KIP-848 consumer group (the cutover converts it), a compacted topic and a topic no consumer group reads", () => {
    const inv = inventory({
      consumerGroups: [...inventory().consumerGroups, group("fraud", ["payments"], { type: "consumer" })],
    });
    const { groups } = proposeGroups(inv, { selfPrincipal: "admin" });
    const orders = groups.find((g) => g.topics.includes("orders"));
    expect(orders?.consumerGroups).toEqual(["fraud", "orders-svc"]);
    expect(orders?.notes.join("\n")).toMatch(
      /consumer group fraud is on the KIP-848 consumer protocol .* the cutover makes it a consumer group on the destination/,
    );
    expect(orders?.blockers).toEqual([]);
    const audit = groups.find((g) => g.topics.includes("audit"));
    expect(audit?.blockers).toEqual([]);
    expect(audit?.notes.join("\n")).toMatch(/audit has cleanup.policy=compact/);
    expect(audit?.notes.join("\n")).toMatch(/audit has no consumer group/);
    expect(groups.find((g) => g.topics.includes("invoices"))?.notes.join("\n")).toMatch(/ledger has no consumer group/);
  });

  it("blocks a group whose topics transactional producers write, naming the topics and producers", () => {
    const inv = inventory({
      transactionalProducers: [
        { topic: "payments", partition: 0, producerId: "4001", producerEpoch: 0, lastWriteAt: 0 },
      ],
    });
    const { groups } = proposeGroups(inv, { selfPrincipal: "admin" });
    expect(groups.find((g) => g.topics.includes("payments"))?.blockers).toEqual([
      "transactional producers write payments (producers 4001): a cutover refuses while they write; stop those applications for the cutover",
    ]);
    expect(groups.find((g) => g.topics.includes("audit"))?.blockers).toEqual([]);
  });

  it("blocks a group whose consumer group also reads a topic left out by --topics", () => {
    const inv = inventory({
      topics: inventory().topics.filter((t) => t.name !== "payments"),
      excludedTopics: [{ name: "payments", reason: "does not match --topics" }],
    });
    const orders = proposeGroups(inv, { selfPrincipal: "admin" }).groups.find((g) => g.topics.includes("orders"));
    expect(orders?.blockers.join("\n")).toMatch(/orders-svc also reads payments, left out by --topics/);
  });

  it("finds a consumer group that reads a configured group's topic but is not listed in it", () => {
    const inv = inventory();
    const grouping = proposeGroups(inv, { selfPrincipal: "admin" });
    const findings = compareWithConfigured(inv, grouping, [{ name: "orders", topics: ["orders"], consumerGroups: [] }]);
    expect(findings.map((f) => f.kind).sort()).toEqual(["missing-topic", "unlisted-consumer"]);
    expect(findings.find((f) => f.kind === "unlisted-consumer")?.message).toMatch(
      /orders-svc reads orders but is not in orders's consumerGroups; live members: orders-app@\/10.0.0.7/,
    );
    expect(findings.find((f) => f.kind === "missing-topic")?.message).toMatch(/^payments is tied to orders's topics/);
  });
});

describe("discovery's proposal", () => {
  /** The proposal as the stack file would hold it, run through the program's own validator. */
  function validate(yamlText: string, secrets: Record<string, string> = validSecrets()) {
    const parsed = YAML.parse(yamlText) as Record<string, unknown>;
    return validateStackConfig(rawConfig({ ...validPlain(), groups: parsed["kafka-cutover:groups"] }, secrets));
  }

  it("is a groups section the config validator accepts, with the proposed topics and consumer groups", () => {
    const proposal = buildProposal(proposeGroups(inventory(), { selfPrincipal: "admin" }).groups);
    const config = validate(renderProposal(proposal, ["header"]));
    expect(config.groups.map((g) => [g.name, g.topics, g.consumerGroups, g.cutover])).toEqual([
      ["audit", ["audit"], [], false],
      ["invoices", ["invoices", "ledger"], ["invoice-reader"], false],
      ["orders", ["orders", "payments"], ["orders-svc"], false],
    ]);
  });

  it("with auth swap lists each group's principals as usernames, and still validates", () => {
    const proposal = buildProposal(proposeGroups(inventory(), { selfPrincipal: "admin" }).groups, { auth: "swap" });
    const swapCredentials = JSON.stringify({ "billing-app": "KEY1/secret1", "orders-app": "KEY2/secret2" });
    const config = validate(renderProposal(proposal), { ...validSecrets(), swapCredentials });
    expect(config.groups.map((g) => [g.name, g.auth, g.principals])).toEqual([
      ["audit", "swap", []],
      ["invoices", "swap", ["billing-app"]],
      ["orders", "swap", ["orders-app"]],
    ]);
  });

  it("makes valid, unique group names from topic names the validator would refuse as group names", () => {
    const odd = ["Orders_V1", "orders-v1", "_private", "x".repeat(200), "a.b", "a.c"];
    const inv = inventory({ topics: odd.map((t) => topic(t)), consumerGroups: [], acls: [] });
    const proposal = buildProposal(proposeGroups(inv).groups, { endpointTemplate: "gw.example:{port}" });
    const config = validate(renderProposal(proposal));
    const names = config.groups.map((g) => g.name);
    // Every topic is its own group here: six names, none repeated, the long one cut to a DNS label.
    expect(new Set(names).size).toBe(odd.length);
    expect(names).toEqual(expect.arrayContaining(["orders-v1", "orders-v1-2", "private", "a-b", "a-c"]));
    expect(Math.max(...names.map((n) => n.length))).toBeLessThanOrEqual(63);
    expect(config.groups.map((g) => g.endpoint.port)).toEqual([9092, 9093, 9094, 9095, 9096, 9097]);
  });
});
