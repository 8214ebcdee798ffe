/**
 * The mirror topic provider's check and diff, called directly (no network): names are checked per
 * property, preview's unknowns pass, a promoted mirror (its status is an output) is no change, and a new
 * REST endpoint is an update. Against a fake REST API: a mirror still mirroring is not deleted, naming its
 * group and how to give it up, unless the group is abandoned, when it is failed over and forgotten.
 */
import { UNKNOWN } from "../../../dynamic/clusterLink";
import { MirrorTopicInputs, MirrorTopicOutputs, provider } from "../../../dynamic/clusterLink/mirrorTopicProvider";
import { FakeClusterLinking } from "./fakeClusterLinking";

const API_SECRET = "s3cr3t-api-secret";

function mirror(overrides: Partial<Record<keyof MirrorTopicInputs, unknown>> = {}): MirrorTopicInputs {
  return {
    restEndpoint: "https://pkc-xyz.us-east-1.aws.confluent.cloud:443",
    clusterId: "lkc-abc123",
    apiKey: "KEY123",
    apiSecret: API_SECRET,
    linkName: "msk-to-cc",
    sourceTopicName: "payments.transactions",
    mirrorTopicName: "msk.payments.transactions",
    ...overrides,
  } as MirrorTopicInputs;
}

async function failures(inputs: MirrorTopicInputs): Promise<Record<string, string>> {
  const result = await provider.check!(inputs, inputs);
  return Object.fromEntries((result.failures ?? []).map((f) => [f.property, f.reason]));
}

describe("MirrorTopic check", () => {
  it("accepts a mirror named <prefix><source topic>", async () => {
    expect(await failures(mirror())).toEqual({});
    expect(await failures(mirror({ mirrorTopicName: "payments.transactions" }))).toEqual({});
  });

  it("reports bad names per property, and a mirror name that is not <prefix><source>", async () => {
    const f = await failures(mirror({ sourceTopicName: "bad topic", linkName: "", apiSecret: "" }));
    expect(Object.keys(f).sort()).toEqual(["apiSecret", "linkName", "sourceTopicName"]);
    expect(f.sourceTopicName).toContain("is not a Kafka topic name");
    expect((await failures(mirror({ mirrorTopicName: "msk.other" }))).mirrorTopicName).toContain(
      'must end with "payments.transactions"',
    );
    expect(JSON.stringify(f)).not.toContain(API_SECRET);
  });

  it("refuses a group or an abandoned flag of the wrong kind", async () => {
    expect(await failures(mirror({ group: "payments", abandoned: false }))).toEqual({});
    expect(await failures(mirror({ group: "", abandoned: "yes" }))).toEqual({
      group: "is not set: the migration group whose topic it mirrors",
      abandoned: 'is "yes"; give true or false',
    });
  });

  it("accepts the preview's unknown values: they are checked at up", async () => {
    expect(
      await failures(
        mirror({ restEndpoint: UNKNOWN, clusterId: UNKNOWN, apiKey: UNKNOWN, apiSecret: UNKNOWN, linkName: UNKNOWN }),
      ),
    ).toEqual({});
  });
});

describe("MirrorTopic diff", () => {
  const diff = (olds: MirrorTopicInputs, news: MirrorTopicInputs, status = "ACTIVE") =>
    provider.diff!("lkc-abc123/msk-to-cc/x", { ...olds, mirrorStatus: status, numPartitions: 3 }, news);

  it("is no change once the cutover promoted the mirror: STOPPED is its settled state", async () => {
    expect(await diff(mirror(), mirror(), "STOPPED")).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await diff(mirror(), mirror(), "PENDING_STOPPED")).toMatchObject({ changes: false });
  });

  it.each([
    ["linkName", { linkName: "l2" }],
    ["sourceTopicName", { sourceTopicName: "x", mirrorTopicName: "msk.x" }],
    ["clusterId", { clusterId: "lkc-2" }],
  ])("replaces when %s changes", async (key, change) => {
    const d = await diff(mirror(), mirror(change));
    expect(d.replaces).toContain(key);
    expect(d).toMatchObject({ changes: true, deleteBeforeReplace: true });
  });

  it.each([
    // Public → private: only how the mirror is reached; replacing it would delete the topic first.
    ["restEndpoint", { restEndpoint: "https://lkc-abc123.dom4x2.us-east-1.aws.private.confluent.cloud:443" }],
    ["group", { group: "payments" }],
    ["abandoned", { abandoned: true }],
  ])("updates in place, never replaces, when %s changes", async (_key, change) => {
    expect(await diff(mirror(), mirror(change))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("updates in place when only the API key changes", async () => {
    expect(await diff(mirror(), mirror({ apiKey: "K2", apiSecret: "rotated" }))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
});

describe("MirrorTopic against a Cluster Linking REST API", () => {
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

  const TOPIC = "payments.transactions";
  const state = (overrides: Partial<Record<keyof MirrorTopicInputs, unknown>> = {}): MirrorTopicOutputs => ({
    ...mirror({ restEndpoint: publicEndpoint, mirrorTopicName: TOPIC, group: "payments", ...overrides }),
    mirrorStatus: "ACTIVE",
    numPartitions: 1,
  });
  const id = `lkc-abc123/msk-to-cc/${TOPIC}`;

  it("refuses to delete a mirror still mirroring, naming its group and how to give the group up", async () => {
    rest.link("msk-to-cc", "link-id-1", { [TOPIC]: "ACTIVE" });
    await expect(provider.delete!(id, state())).rejects.toThrow(
      `mirror topic ${TOPIC} (from ${TOPIC}) on link msk-to-cc of group payments is ACTIVE: deleting it would delete a topic that consumers may be reading. ` +
        "A mirror ends by being promoted, when its group is cut over (its cutover: true, then pulumi up). " +
        "To give up the migration of group payments instead, list it in kafka-cutover:protection.abandonGroups and run pulumi up: " +
        "deleting its mirrors then fails them over (mirroring stops, the copies stay as ordinary topics). Then run again.",
    );
    expect(rest.calls().filter((c) => !c.startsWith("GET"))).toEqual([]);
    expect(rest.links.get("msk-to-cc")?.mirrors.get(TOPIC)).toBe("ACTIVE");
  });

  it("fails an abandoned group's mirror over and forgets it: mirroring stops, the topic stays", async () => {
    rest.link("msk-to-cc", "link-id-1", { [TOPIC]: "ACTIVE", "payments.events": "ACTIVE" });
    await provider.delete!(id, state({ abandoned: true }));
    expect(rest.calls()).toContain("POST /kafka/v3/clusters/lkc-abc123/links/msk-to-cc/mirrors:failover");
    expect(rest.calls().filter((c) => c.startsWith("DELETE"))).toEqual([]);
    expect(Object.fromEntries(rest.links.get("msk-to-cc")?.mirrors ?? [])).toEqual({
      [TOPIC]: "STOPPED",
      "payments.events": "ACTIVE",
    });
  });

  it("forgets a promoted mirror without a call that changes anything", async () => {
    rest.link("msk-to-cc", "link-id-1", { [TOPIC]: "STOPPED" });
    await provider.delete!(id, state({ abandoned: true }));
    await provider.delete!(id, state());
    expect(rest.calls().filter((c) => !c.startsWith("GET"))).toEqual([]);
  });

  it("moves to the private REST endpoint in place, reading the mirror through it", async () => {
    rest.link("msk-to-cc", "link-id-1", { [TOPIC]: "ACTIVE" });
    const news = mirror({ restEndpoint: privateEndpoint, mirrorTopicName: TOPIC, group: "payments" });
    const updated = await provider.update!(id, state(), news);
    expect(updated.outs).toMatchObject({ restEndpoint: privateEndpoint, mirrorStatus: "ACTIVE" });
    expect(rest.requests.map((r) => [r.endpoint, r.method])).toEqual([[privateEndpoint, "GET"]]);
  });
});
