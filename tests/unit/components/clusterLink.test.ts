/**
 * The ClusterLink component under Pulumi mocks, in preview and in up: the inputs it gives the link and
 * each mirror (which the providers turn into link configs), that every credential reaches them only as
 * a secret, and that the serialized provider holds no credential at all.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterLink, MSK_CANARY_TOPIC, validateClusterLinkArgs } from "../../../components";
import { StackConfig, validateStackConfig } from "../../../config";
import { groupFilters } from "../../../dynamic/clusterLink";
import { rawConfig, validPlain, validSecrets } from "../config/rawConfig";
import { CREATE_SECRETS, createStack } from "./createConfig";
import {
  MockCloud,
  SECRET_MARKER,
  inputsOf,
  isSecretValue,
  mockCloud,
  ofType,
  plainStrings,
  settled,
  valueOf,
} from "./mockCloud";

const LINK = "pulumi-nodejs:dynamic/kafka-cutover:ClusterLink";
const MIRROR = "pulumi-nodejs:dynamic/kafka-cutover:MirrorTopic";
const SOURCE_PASSWORD = `${SECRET_MARKER}scram-password`;
const API_SECRET = `${SECRET_MARKER}api-secret`;

function existingStack(
  edit: (plain: Record<string, unknown>) => void = () => undefined,
  secrets: Record<string, string> = {},
): StackConfig {
  const plain = validPlain();
  (plain.source as Record<string, unknown>).clusterId = "7fK2qWc1RkOQ3sXbKq1Z9A";
  edit(plain);
  return validateStackConfig(
    rawConfig(plain, {
      ...validSecrets(),
      sourcePassword: SOURCE_PASSWORD,
      destinationApiSecret: API_SECRET,
      ...secrets,
    }),
  );
}

async function build(
  preview: boolean,
  config: StackConfig,
  destination?: {
    restEndpoint: pulumi.Input<string>;
    clusterId: pulumi.Input<string>;
    apiKey: pulumi.Input<string>;
    apiSecret: pulumi.Input<string>;
  },
  abandonGroups?: readonly string[],
): Promise<{ cloud: MockCloud; link: ClusterLink }> {
  const cloud = mockCloud(preview);
  const dst = config.destination;
  const link = new ClusterLink(
    "link",
    {
      link: config.link,
      groups: config.groups,
      source: config.source,
      sourceBootstrap: pulumi.output("b-1.msk.example:9096,b-2.msk.example:9096"),
      destination:
        destination ??
        (dst.mode === "existing"
          ? { restEndpoint: dst.restEndpoint, clusterId: dst.clusterId, apiKey: dst.apiKey, apiSecret: dst.apiSecret }
          : {
              restEndpoint: "https://lkc-9wz1.example:443",
              clusterId: "lkc-9wz1",
              apiKey: "ADMINKEY",
              apiSecret: pulumi.secret(API_SECRET),
            }),
      ...(abandonGroups ? { abandonGroups } : {}),
    },
    { transformations: [cloud.transformation] },
  );
  await valueOf(link.mirrorTopics);
  await settled(cloud);
  return { cloud, link };
}

describe.each([false, true])("ClusterLink (preview: %s)", (preview) => {
  it("declares the link with the source's address, login and the groups' offset sync", async () => {
    const { cloud } = await build(preview, existingStack());
    const inputs = inputsOf(cloud, LINK, "msk-to-cc");
    expect(inputs).toMatchObject({
      restEndpoint: "https://pkc-xyz.us-east-1.aws.confluent.cloud:443",
      clusterId: "lkc-abc123",
      apiKey: "KEY123",
      linkName: "msk-to-cc",
      sourceClusterId: "7fK2qWc1RkOQ3sXbKq1Z9A",
      sourceBootstrap: "b-1.msk.example:9096,b-2.msk.example:9096",
      securityProtocol: "SASL_SSL",
      mechanism: "SCRAM-SHA-512",
      username: "cutover",
      offsetSyncMs: 5000,
      aclSync: false,
    });
    // Every group's consumer groups, sorted (the orders group lists none: nothing of it to sync).
    expect(inputs.consumerGroups).toEqual(["payments-ledger"]);
    expect(inputs).not.toHaveProperty("prefix");
    // The filters JSON the provider sends as consumer.offset.group.filters: every group's consumer groups, LITERAL INCLUDE.
    expect(JSON.parse(groupFilters(inputs.consumerGroups as string[]))).toEqual({
      groupFilters: [{ name: "payments-ledger", patternType: "LITERAL", filterType: "INCLUDE" }],
    });
  });

  it("tells the link and each mirror their group, and which groups are abandoned, for what delete says and does", async () => {
    const standing = await build(preview, existingStack());
    expect(inputsOf(standing.cloud, LINK, "msk-to-cc").groups).toEqual([
      { name: "payments", mirrorTopics: ["payments.transactions", "payments.events"] },
      { name: "orders", mirrorTopics: ["orders"] },
    ]);
    const of = (cloud: MockCloud) => ofType(cloud, MIRROR).map((m) => [m.name, m.inputs.group, m.inputs.abandoned]);
    expect(of(standing.cloud)).toEqual([
      ["link-payments.transactions", "payments", false],
      ["link-payments.events", "payments", false],
      ["link-orders", "orders", false],
    ]);
    const abandoning = await build(preview, existingStack(), undefined, ["payments"]);
    expect(of(abandoning.cloud)).toEqual([
      ["link-payments.transactions", "payments", true],
      ["link-payments.events", "payments", true],
      ["link-orders", "orders", false],
    ]);
  });

  it("gives the link and every mirror their credentials only as secrets", async () => {
    const { cloud } = await build(preview, existingStack());
    const link = inputsOf(cloud, LINK, "msk-to-cc");
    expect(isSecretValue(link.password)).toBe(true);
    expect(isSecretValue(link.apiSecret)).toBe(true);
    for (const d of [...ofType(cloud, LINK), ...ofType(cloud, MIRROR)]) {
      expect(isSecretValue(d.inputs.apiSecret)).toBe(true);
      const leaked = plainStrings(d.inputs).filter((s) => s.value.includes(SECRET_MARKER));
      expect([d.name, leaked]).toEqual([d.name, []]);
    }
  });

  it("serializes a provider that holds only the implementation's module id, no credential", async () => {
    const { cloud } = await build(preview, existingStack());
    for (const d of [...ofType(cloud, LINK), ...ofType(cloud, MIRROR)]) {
      const provider = d.inputs.__provider;
      expect(typeof provider).toBe("string");
      for (const secret of [SOURCE_PASSWORD, API_SECRET, SECRET_MARKER, "KEY123", "cutover"])
        expect(provider as string).not.toContain(secret);
    }
    expect(inputsOf(cloud, LINK).__provider as string).toContain("dynamic/clusterLink/linkProvider");
    expect(ofType(cloud, MIRROR)[0].inputs.__provider as string).toContain("dynamic/clusterLink/mirrorTopicProvider");
  });

  it("declares one mirror per group topic, after the link, and reports them per group", async () => {
    const { cloud, link } = await build(preview, existingStack());
    const mirrors = ofType(cloud, MIRROR);
    expect(mirrors.map((m) => m.name)).toEqual(["link-payments.transactions", "link-payments.events", "link-orders"]);
    expect(mirrors[0].inputs).toMatchObject({
      restEndpoint: "https://pkc-xyz.us-east-1.aws.confluent.cloud:443",
      clusterId: "lkc-abc123",
      apiKey: "KEY123",
      linkName: "msk-to-cc",
      sourceTopicName: "payments.transactions",
      mirrorTopicName: "payments.transactions",
    });
    for (const m of mirrors) {
      expect(m.inputs).not.toHaveProperty("mirrorStatus", expect.anything());
      expect(cloud.dependsOn.get(`MirrorTopic:${m.name}`)).toEqual(["ClusterLink:msk-to-cc"]);
    }
    expect(await valueOf(link.mirrorTopics)).toEqual({
      payments: ["payments.transactions", "payments.events"],
      orders: ["orders"],
    });
    expect(await valueOf(link.linkName)).toBe("msk-to-cc");
  });

  it("in create mode names mirrors <prefix><topic> and manages the link with the destination's admin key", async () => {
    const validated = createStack("privatelink", (p) => {
      (p.source as Record<string, unknown>).clusterId = "7fK2qWc1RkOQ3sXbKq1Z9A";
    });
    // Validation refuses link.prefix (every group is routed, and routes keep topic names); the component's
    // naming is still the link's, so it is checked with the prefix set past validation.
    const config = { ...validated, link: { ...validated.link, prefix: "msk." } };
    const { cloud, link } = await build(preview, config);
    expect(inputsOf(cloud, LINK)).toMatchObject({ prefix: "msk.", apiKey: "ADMINKEY", clusterId: "lkc-9wz1" });
    expect(ofType(cloud, MIRROR).map((m) => [m.name, m.inputs.sourceTopicName, m.inputs.mirrorTopicName])).toEqual([
      ["link-msk.payments.transactions", "payments.transactions", "msk.payments.transactions"],
      ["link-msk.payments.events", "payments.events", "msk.payments.events"],
      ["link-msk.orders", "orders", "msk.orders"],
    ]);
    expect(await valueOf(link.mirrorTopics)).toEqual({
      payments: ["msk.payments.transactions", "msk.payments.events"],
      orders: ["msk.orders"],
    });
    expect(link.mirrorNames).toEqual({
      payments: { "payments.transactions": "msk.payments.transactions", "payments.events": "msk.payments.events" },
      orders: { orders: "msk.orders" },
    });
    expect(
      plainStrings(inputsOf(cloud, LINK)).filter(
        (s) => s.value.includes(SECRET_MARKER) || s.value === CREATE_SECRETS.sourcePassword,
      ),
    ).toEqual([]);
  });

  it("leaves the source cluster id unset when config has none, so check asks for it", async () => {
    const { cloud } = await build(
      preview,
      existingStack((p) => {
        delete (p.source as Record<string, unknown>).clusterId;
      }),
    );
    expect(inputsOf(cloud, LINK).sourceClusterId).toBeUndefined();
  });
});

describe("validateClusterLinkArgs", () => {
  it("refuses MSK's canary topic in a group, naming the key", () => {
    const config = existingStack();
    const groups = [config.groups[0], { ...config.groups[1], topics: ["orders", MSK_CANARY_TOPIC] }];
    expect(validateClusterLinkArgs(groups)).toEqual([
      "kafka-cutover:groups[1].topics[1]: is __amazon_msk_canary, MSK's internal health-check topic, which is never migrated; remove it from the group in Pulumi.<stack>.yaml",
    ]);
    expect(validateClusterLinkArgs(config.groups)).toEqual([]);
  });
});
