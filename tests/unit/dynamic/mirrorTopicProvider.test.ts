/**
 * The mirror topic provider's check and diff, called directly (no network): names are checked per
 * property, preview's unknowns pass, and a promoted mirror (its status is an output) is no change.
 */
import { UNKNOWN } from "../../../dynamic/clusterLink";
import { MirrorTopicInputs, provider } from "../../../dynamic/clusterLink/mirrorTopicProvider";

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

  it("updates in place when only the API key changes", async () => {
    expect(await diff(mirror(), mirror({ apiKey: "K2", apiSecret: "rotated" }))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
});
