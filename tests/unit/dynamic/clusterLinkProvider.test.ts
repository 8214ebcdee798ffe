/**
 * The cluster link provider's check and diff, called directly (no network): every bad input is a
 * failure on its own property with what to do, preview's unknowns pass as "checked at up", secrets
 * never appear in a reason, and diff tells an in-place update from a replace (a new REST endpoint is an
 * update). Against a fake REST API: delete is refused, naming each group not cut over, until every mirror
 * is promoted, and a move to another endpoint of the same cluster changes nothing on the link.
 */
import { UNKNOWN } from "../../../dynamic/clusterLink";
import {
  ClusterLinkInputs,
  ClusterLinkOutputs,
  configChanges,
  groupFilters,
  jaasConfig,
  linkConfigs,
} from "../../../dynamic/clusterLink/linkConfigs";
import { provider } from "../../../dynamic/clusterLink/linkProvider";
import { FakeClusterLinking } from "./fakeClusterLinking";

const PASSWORD = 's3cr3t-scram-pa"ss\\word';
const API_SECRET = "s3cr3t-api-secret";
const PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\ns3cr3t-key-material\n-----END PRIVATE KEY-----\n";
const CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

function scram(overrides: Partial<Record<keyof ClusterLinkInputs, unknown>> = {}): ClusterLinkInputs {
  return {
    restEndpoint: "https://pkc-xyz.us-east-1.aws.confluent.cloud:443",
    clusterId: "lkc-abc123",
    apiKey: "KEY123",
    apiSecret: API_SECRET,
    linkName: "msk-to-cc",
    sourceClusterId: "7fK2qWc1RkOQ3sXbKq1Z9A",
    sourceBootstrap: "b-1.msk.example:9096,b-2.msk.example:9096",
    securityProtocol: "SASL_SSL",
    mechanism: "SCRAM-SHA-512",
    username: "cutover",
    password: PASSWORD,
    offsetSyncMs: 5000,
    consumerGroups: ["payments-ledger", "orders-service"],
    aclSync: false,
    ...overrides,
  } as ClusterLinkInputs;
}

function mtls(overrides: Partial<Record<keyof ClusterLinkInputs, unknown>> = {}): ClusterLinkInputs {
  const {
    username: _u,
    password: _p,
    ...rest
  } = scram({ securityProtocol: "SSL", mechanism: "MTLS", certificatePem: CERT, privateKeyPem: PRIVATE_KEY });
  return { ...rest, ...overrides } as ClusterLinkInputs;
}

async function failures(inputs: ClusterLinkInputs): Promise<Record<string, string>> {
  const result = await provider.check!(inputs, inputs);
  return Object.fromEntries((result.failures ?? []).map((f) => [f.property, f.reason]));
}

describe("ClusterLink check", () => {
  it("accepts a complete SCRAM link and a complete mTLS link", async () => {
    expect(await failures(scram())).toEqual({});
    expect(await failures(mtls())).toEqual({});
    expect(
      await failures(scram({ mechanism: "PLAIN", prefix: "msk.", configs: { "topic.config.sync.ms": "10000" } })),
    ).toEqual({});
  });

  it("reports each bad input on its own property, with what to do", async () => {
    const f = await failures(
      scram({
        restEndpoint: "pkc-xyz:443",
        clusterId: "",
        linkName: "msk to cc",
        sourceBootstrap: "b-1.msk.example",
        mechanism: "GSSAPI",
        offsetSyncMs: 10,
        consumerGroups: ["ok", "*"],
        configs: { "consumer.offset.sync.ms": "1" },
      }),
    );
    expect(Object.keys(f).sort()).toEqual([
      "clusterId",
      'configs["consumer.offset.sync.ms"]',
      "consumerGroups[1]",
      "linkName",
      "mechanism",
      "offsetSyncMs",
      "restEndpoint",
      "sourceBootstrap",
    ]);
    expect(f.restEndpoint).toContain("is not an http(s)://host[:port] URL");
    expect(f.clusterId).toContain("is not set: the destination cluster's id");
    expect(f.linkName).toContain("is not a link name");
    expect(f.sourceBootstrap).toContain('"b-1.msk.example" is not a host:port broker address');
    expect(f.mechanism).toBe('is "GSSAPI"; use one of SCRAM-SHA-512, SCRAM-SHA-256, PLAIN, MTLS');
    expect(f.offsetSyncMs).toContain("at least 1000");
    expect(f["consumerGroups[1]"]).toContain("would sync every group's offsets");
    expect(f['configs["consumer.offset.sync.ms"]']).toContain("managed by this resource's own inputs");
  });

  it("accepts the groups the link carries and refuses a malformed list", async () => {
    expect(await failures(scram({ groups: [{ name: "payments", mirrorTopics: ["payments.events"] }] }))).toEqual({});
    expect(await failures(scram({ groups: [{ name: "", mirrorTopics: "payments.events" }] }))).toEqual({
      "groups[0].name": "is not a group name",
      "groups[0].mirrorTopics": "must be a list of mirror topic names",
    });
  });

  it("tells the operator how to find and set the source cluster id when it is missing", async () => {
    const f = await failures(scram({ sourceClusterId: undefined }));
    expect(f.sourceClusterId).toContain("is not set: the link names its source by Kafka cluster id");
    expect(f.sourceClusterId).toContain("pulumi config set --path 'kafka-cutover:source.clusterId' <id>");
  });

  it("matches the security protocol to the mechanism", async () => {
    expect((await failures(scram({ securityProtocol: "SSL" }))).securityProtocol).toContain(
      "mechanism SCRAM-SHA-512 is SASL: use SASL_SSL",
    );
    expect((await failures(mtls({ securityProtocol: "SASL_SSL" }))).securityProtocol).toContain("mutual TLS needs SSL");
    expect(await failures(mtls({ username: "x" }))).toEqual({
      username: "is set, but mechanism MTLS authenticates with the certificate; remove it",
    });
  });

  it("accepts the preview's unknown values: they are checked at up", async () => {
    const unknowns = Object.fromEntries(
      [
        "restEndpoint",
        "clusterId",
        "apiKey",
        "apiSecret",
        "sourceClusterId",
        "sourceBootstrap",
        "password",
        "offsetSyncMs",
        "consumerGroups",
        "mechanism",
        "securityProtocol",
      ].map((k) => [k, UNKNOWN]),
    );
    expect(await failures(scram(unknowns))).toEqual({});
    expect(await failures(scram({ consumerGroups: ["a", UNKNOWN] }))).toEqual({});
    expect(await failures(mtls({ privateKeyPem: UNKNOWN, certificatePem: UNKNOWN }))).toEqual({});
  });

  it("never puts a credential in a reason, even a malformed one", async () => {
    const badKey = "s3cr3t-not-a-pem-key";
    const reasons = [
      ...Object.values(await failures(scram({ password: "", apiSecret: "" }))),
      ...Object.values(await failures(mtls({ privateKeyPem: badKey }))),
      ...Object.values(
        await failures(scram({ certificatePem: CERT, privateKeyPem: PRIVATE_KEY, restEndpoint: "nope" })),
      ),
    ].join("\n");
    expect(reasons).toContain("the SASL password of the link's user");
    expect(reasons).toContain("is not PEM");
    for (const secret of [PASSWORD, API_SECRET, badKey, "s3cr3t"]) expect(reasons).not.toContain(secret);
  });
});

describe("ClusterLink configs", () => {
  it("logs in with SCRAM through ScramLoginModule and with PLAIN through PlainLoginModule, quoting the values", () => {
    expect(jaasConfig("SCRAM-SHA-512", "cutover", PASSWORD)).toBe(
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="cutover" password="s3cr3t-scram-pa\\"ss\\\\word";',
    );
    expect(jaasConfig("PLAIN", "KEY", "pw")).toBe(
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="KEY" password="pw";',
    );
  });

  it("syncs the offsets of exactly the groups' consumer groups, LITERAL INCLUDE each, sorted", () => {
    expect(JSON.parse(groupFilters(["payments-ledger", "orders-service", "payments-ledger"]))).toEqual({
      groupFilters: [
        { name: "orders-service", patternType: "LITERAL", filterType: "INCLUDE" },
        { name: "payments-ledger", patternType: "LITERAL", filterType: "INCLUDE" },
      ],
    });
    expect(groupFilters([])).toBe('{"groupFilters":[]}');
  });

  it("sends source address, login and behaviour, and the prefix when set", () => {
    expect(linkConfigs(scram({ prefix: "msk." }))).toEqual({
      "bootstrap.servers": "b-1.msk.example:9096,b-2.msk.example:9096",
      "security.protocol": "SASL_SSL",
      "sasl.mechanism": "SCRAM-SHA-512",
      "sasl.jaas.config": jaasConfig("SCRAM-SHA-512", "cutover", PASSWORD),
      "consumer.offset.sync.enable": "true",
      "consumer.offset.sync.ms": "5000",
      "consumer.offset.group.filters": groupFilters(["orders-service", "payments-ledger"]),
      "acl.sync.enable": "false",
      "cluster.link.prefix": "msk.",
    });
    expect(linkConfigs(mtls())).toMatchObject({
      "security.protocol": "SSL",
      "ssl.keystore.type": "PEM",
      "ssl.keystore.certificate.chain": CERT,
      "ssl.keystore.key": PRIVATE_KEY,
    });
    expect(Object.keys(linkConfigs(mtls())).filter((k) => k.startsWith("sasl."))).toEqual([]);
  });

  it("updates only what changed: a new password is one PUT of sasl.jaas.config; dropped extras are reset", () => {
    expect(configChanges(scram(), scram({ password: "new-password" }))).toEqual({
      set: [["sasl.jaas.config", jaasConfig("SCRAM-SHA-512", "cutover", "new-password")]],
      reset: [],
    });
    expect(
      configChanges(scram({ configs: { "topic.config.sync.ms": "1000" } }), scram({ offsetSyncMs: 2000 })),
    ).toEqual({
      set: [["consumer.offset.sync.ms", "2000"]],
      reset: ["topic.config.sync.ms"],
    });
  });
});

describe("ClusterLink diff", () => {
  const diff = (olds: ClusterLinkInputs, news: ClusterLinkInputs) =>
    provider.diff!("lkc-abc123/msk-to-cc", { ...olds, clusterLinkId: "id", linkState: "ACTIVE" }, news);

  it("is no change when only the outputs differ", async () => {
    expect(await diff(scram(), scram())).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await diff(scram({ consumerGroups: ["a", "b"] }), scram({ consumerGroups: ["a", "b"] }))).toMatchObject({
      changes: false,
    });
  });

  it.each([
    ["offsetSyncMs", { offsetSyncMs: 30000 }],
    ["consumerGroups", { consumerGroups: ["orders-service"] }],
    ["aclSync", { aclSync: true }],
    ["password", { password: "rotated" }],
    ["username", { username: "other" }],
    ["sourceBootstrap", { sourceBootstrap: "b-3.msk.example:9096" }],
    ["apiSecret", { apiSecret: "rotated" }],
    ["configs", { configs: { "topic.config.sync.ms": "1000" } }],
    // Public → private: only how the link is reached; replacing would delete it first, mid-migration.
    ["restEndpoint", { restEndpoint: "https://lkc-abc123.dom4x2.us-east-1.aws.private.confluent.cloud:443" }],
    ["groups", { groups: [{ name: "payments", mirrorTopics: ["payments.events"] }] }],
  ])("updates in place when %s changes", async (_key, change) => {
    expect(await diff(scram(), scram(change))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it.each([
    ["linkName", { linkName: "other" }],
    ["clusterId", { clusterId: "lkc-other" }],
    ["sourceClusterId", { sourceClusterId: "other" }],
    ["prefix", { prefix: "msk." }],
  ])("replaces, deleting first, when %s changes", async (key, change) => {
    expect(await diff(scram(), scram(change))).toEqual({ changes: true, replaces: [key], deleteBeforeReplace: true });
  });

  it("treats a value still unknown in preview as a change", async () => {
    expect(await diff(scram(), scram({ clusterId: UNKNOWN }))).toMatchObject({
      changes: true,
      replaces: ["clusterId"],
    });
  });
});

describe("ClusterLink against a Cluster Linking REST API", () => {
  const rest = new FakeClusterLinking("lkc-abc123");
  let publicEndpoint = "";
  let privateEndpoint = "";
  beforeAll(async () => {
    publicEndpoint = await rest.endpoint();
    privateEndpoint = await rest.endpoint();
  });
  afterAll(() => rest.stop());
  beforeEach(() => {
    rest.requests.length = 0;
    rest.links.clear();
  });

  const GROUPS = [
    { name: "payments", mirrorTopics: ["payments.events", "payments.transactions"] },
    { name: "orders", mirrorTopics: ["orders"] },
  ];
  const state = (overrides: Partial<Record<keyof ClusterLinkInputs, unknown>> = {}): ClusterLinkOutputs => ({
    ...scram({ restEndpoint: publicEndpoint, groups: GROUPS, ...overrides }),
    clusterLinkId: "link-id-1",
    linkState: "ACTIVE",
  });

  it("refuses to delete the link while a group on it is not cut over, naming each group, its mirrors and what to do", async () => {
    rest.link("msk-to-cc", "link-id-1", {
      "payments.events": "ACTIVE",
      "payments.transactions": "PENDING_STOPPED",
      orders: "STOPPED",
      "someone.else": "PAUSED",
    });
    const refused = provider.delete!("lkc-abc123/msk-to-cc", state());
    await expect(refused).rejects.toThrow(
      "cluster link msk-to-cc on lkc-abc123 still mirrors 3 topic(s) that are not promoted, and deleting it would stop their mirroring while their clients still depend on the source:\n" +
        "  group payments is not cut over: payments.events (ACTIVE), payments.transactions (PENDING_STOPPED)\n" +
        "  in no group of this stack: someone.else (PAUSED)\n" +
        "To delete it, cut each group over (its cutover: true, then pulumi up), or, to give up its migration, list it in kafka-cutover:protection.abandonGroups and run pulumi up, so that deleting its mirror topics fails them over; " +
        "and promote, fail over or delete the mirrors of no group yourself (confluent kafka mirror failover <topic> --link msk-to-cc); then run again.",
    );
    expect(rest.calls().filter((c) => c.startsWith("DELETE"))).toEqual([]);
    expect(rest.links.has("msk-to-cc")).toBe(true);
  });

  it("deletes the link, unforced, once every mirror on it is promoted", async () => {
    rest.link("msk-to-cc", "link-id-1", {
      "payments.events": "STOPPED",
      "payments.transactions": "STOPPED",
      orders: "STOPPED",
    });
    await provider.delete!("lkc-abc123/msk-to-cc", state());
    expect(rest.calls()).toContain("DELETE /kafka/v3/clusters/lkc-abc123/links/msk-to-cc");
    expect(rest.links.has("msk-to-cc")).toBe(false);
  });

  it("names the mirrors alone when the link's state has no groups (a stack from before they were recorded)", async () => {
    rest.link("msk-to-cc", "link-id-1", { orders: "ACTIVE" });
    const { groups: _g, ...noGroups } = state();
    await expect(provider.delete!("lkc-abc123/msk-to-cc", noGroups)).rejects.toThrow(
      "  in no group of this stack: orders (ACTIVE)\n",
    );
  });

  it("moves to the private REST endpoint in place: the same link, read through the new endpoint, no config sent", async () => {
    rest.link("msk-to-cc", "link-id-1", { orders: "ACTIVE" });
    const news = scram({ restEndpoint: privateEndpoint, groups: GROUPS });
    expect(await provider.diff!("lkc-abc123/msk-to-cc", state(), news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await provider.update!("lkc-abc123/msk-to-cc", state(), news);
    expect(updated.outs).toMatchObject({ restEndpoint: privateEndpoint, clusterLinkId: "link-id-1" });
    expect(rest.requests.map((r) => [r.endpoint, r.method])).toEqual([[privateEndpoint, "GET"]]);
  });

  it("refuses an endpoint that answers for another link of that name: it is not the same cluster", async () => {
    rest.link("msk-to-cc", "link-id-2");
    await expect(
      provider.update!("lkc-abc123/msk-to-cc", state(), scram({ restEndpoint: privateEndpoint, groups: GROUPS })),
    ).rejects.toThrow(
      `answers for a link msk-to-cc with id link-id-2, but this stack's link has id link-id-1: give destination.restEndpoint an endpoint of the same cluster`,
    );
    expect(rest.calls().filter((c) => !c.startsWith("GET"))).toEqual([]);
  });
});
