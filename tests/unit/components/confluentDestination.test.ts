/**
 * ConfluentDestination under Pulumi mocks, in preview and in up: what create mode asks Confluent Cloud
 * for (cluster, principals, keys, ACLs), that keys stay secret, and that existing mode declares nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfluentDestination } from "../../../components";
import { NetworkingType, validateStackConfig } from "../../../config";
import { rawConfig, validPlain, validSecrets } from "../config/rawConfig";
import { createStack } from "./createConfig";
import {
  MockCloud,
  SECRET_MARKER,
  inputsOf,
  isSecretOutput,
  isSecretValue,
  mockCloud,
  ofType,
  plainStrings,
  settled,
  valueOf,
} from "./mockCloud";

const CC = "confluentcloud:index/";
const ACL = `${CC}kafkaAcl:KafkaAcl`;
const API_KEY = `${CC}apiKey:ApiKey`;
const SA = `${CC}serviceAccount:ServiceAccount`;
const REST = "https://lkc-9wz1.dom4x2.us-east-1.aws.confluent.cloud:443";

/** Builds the component and waits until every child is registered. */
async function build(
  preview: boolean,
  type: NetworkingType = "privatelink",
): Promise<{ cloud: MockCloud; destination: ConfluentDestination }> {
  const cloud = mockCloud(preview);
  const config = createStack(type);
  const destination = new ConfluentDestination(
    "destination",
    { config: config.destination, groups: config.groups, topicPrefix: config.link.prefix },
    { transformations: [cloud.transformation] },
  );
  // Every output below depends on the whole tree (ACLs → admin key → role binding → cluster → network).
  await valueOf(pulumi.all([destination.apiSecret, ...Object.values(destination.groupAccess).map((a) => a.apiSecret)]));
  await settled(cloud);
  return { cloud, destination };
}

/** The ACLs granted to `principal`, as `OPERATION RESOURCE_TYPE:name` strings. */
function aclsOf(cloud: MockCloud, principal: string): string[] {
  return ofType(cloud, ACL)
    .filter((a) => a.inputs.principal === principal)
    .map((a) => `${String(a.inputs.operation)} ${String(a.inputs.resourceType)}:${String(a.inputs.resourceName)}`)
    .sort();
}

describe.each([false, true])("ConfluentDestination in create mode (preview: %s)", (preview) => {
  let logged: jest.SpyInstance[];
  let debug: jest.SpyInstance;
  beforeEach(() => {
    logged = [
      ...(["info", "warn", "error"] as const).map((level) => jest.spyOn(pulumi.log, level)),
      ...(["log", "info", "warn", "error", "debug"] as const).map((level) => jest.spyOn(console, level)),
    ];
    // The SDK traces its own RPCs at debug level (shown only with `pulumi -v`/`--debug`); our code writes no debug line.
    debug = jest.spyOn(pulumi.log, "debug");
  });
  afterEach(() => jest.restoreAllMocks());

  it("creates a dedicated cluster of the configured size and zones inside the new network", async () => {
    const { cloud } = await build(preview);
    expect(inputsOf(cloud, `${CC}environment:Environment`)).toEqual({ displayName: "msk-migration" });
    expect(inputsOf(cloud, `${CC}kafkaCluster:KafkaCluster`)).toEqual({
      displayName: "orders-prod",
      cloud: "AWS",
      region: "us-east-1",
      availability: "MULTI_ZONE",
      dedicated: { cku: 3 },
      environment: { id: "env-7qm3" },
      network: { id: "n-8xk2" },
    });
    expect(inputsOf(cloud, `${CC}network:Network`)).toMatchObject({
      environment: { id: "env-7qm3" },
      connectionTypes: ["PRIVATELINK"],
    });
    // The network is registered before the cluster that lives in it.
    const order = cloud.events.filter((e) => e.kind === "resource").map((e) => (e.kind === "resource" ? e.type : ""));
    expect(order.indexOf(`${CC}network:Network`)).toBeLessThan(order.indexOf(`${CC}kafkaCluster:KafkaCluster`));
  });

  it("makes one service account for the program, the link, the Gateway and each group's apps", async () => {
    const { cloud } = await build(preview);
    expect(ofType(cloud, SA).map((s) => s.inputs.displayName)).toEqual([
      "orders-prod-admin",
      "orders-prod-link",
      "orders-prod-gateway",
      "orders-prod-payments-apps",
      "orders-prod-orders-apps",
    ]);
  });

  it("binds CloudClusterAdmin on the cluster to the program's admin account only", async () => {
    const { cloud } = await build(preview);
    expect(ofType(cloud, `${CC}roleBinding:RoleBinding`).map((r) => r.inputs)).toEqual([
      {
        principal: "User:sa-destination-admin",
        roleName: "CloudClusterAdmin",
        crnPattern: "crn://confluent.cloud/organization=2f1e/environment=env-7qm3/cloud-cluster=lkc-9wz1",
      },
    ]);
  });

  it("gives every account a cluster API key it owns, created after what makes it work", async () => {
    const { cloud } = await build(preview);
    const keys = ofType(cloud, API_KEY);
    expect(keys.map((k) => k.name)).toEqual([
      "destination-admin",
      "destination-link",
      "destination-gateway",
      "destination-payments-apps",
      "destination-orders-apps",
    ]);
    for (const k of keys) {
      expect(k.inputs.owner).toEqual({ id: `sa-${k.name}`, apiVersion: "iam/v2", kind: "ServiceAccount" });
      expect(k.inputs.managedResource).toEqual({
        id: "lkc-9wz1",
        apiVersion: "cmk/v2",
        kind: "Cluster",
        environment: { id: "env-7qm3" },
      });
    }
    expect(cloud.dependsOn.get("ApiKey:destination-admin")).toEqual(["RoleBinding:destination-admin"]);
    expect(cloud.dependsOn.get("ApiKey:destination-payments-apps")).toHaveLength(
      aclsOf(cloud, "User:sa-destination-payments-apps").length,
    );
    expect(
      cloud.dependsOn
        .get("ApiKey:destination-payments-apps")
        ?.every((d) => d.startsWith("KafkaAcl:destination-payments-apps-")),
    ).toBe(true);
  });

  it("grants each group's apps exactly their mirror topics, consumer groups and cluster metadata", async () => {
    const { cloud } = await build(preview);
    expect(aclsOf(cloud, "User:sa-destination-payments-apps")).toEqual([
      "DESCRIBE CLUSTER:kafka-cluster",
      "DESCRIBE TOPIC:payments.events",
      "DESCRIBE TOPIC:payments.transactions",
      "READ GROUP:payments-ledger",
      "READ TOPIC:payments.events",
      "READ TOPIC:payments.transactions",
      "WRITE TOPIC:payments.events",
      "WRITE TOPIC:payments.transactions",
    ]);
    expect(aclsOf(cloud, "User:sa-destination-orders-apps")).toEqual([
      "DESCRIBE CLUSTER:kafka-cluster",
      "DESCRIBE TOPIC:orders",
      "READ TOPIC:orders",
      "WRITE TOPIC:orders",
    ]);
    expect(aclsOf(cloud, "User:sa-destination-link")).toEqual([
      "ALTER CLUSTER:kafka-cluster",
      "DESCRIBE CLUSTER:kafka-cluster",
    ]);
    expect(aclsOf(cloud, "User:sa-destination-gateway")).toEqual(["DESCRIBE CLUSTER:kafka-cluster"]);
    for (const acl of ofType(cloud, ACL)) {
      expect(acl.inputs).toMatchObject({
        patternType: "LITERAL",
        permission: "ALLOW",
        host: "*",
        kafkaCluster: { id: "lkc-9wz1" },
        restEndpoint: REST,
      });
      // The admin key travels as one secret value: its secret makes the whole credentials block secret.
      expect(isSecretValue(acl.inputs.credentials)).toBe(true);
      expect((acl.inputs.credentials as { value: unknown }).value).toEqual({
        key: "KEY-destination-admin",
        secret: `${SECRET_MARKER}destination-admin`,
      });
      expect(cloud.dependsOn.get(`KafkaAcl:${acl.name}`)).toEqual(["RoleBinding:destination-admin"]);
    }
  });

  it("outputs the cluster's endpoints and the admin and per-group keys, every API secret secret", async () => {
    const { destination } = await build(preview);
    expect(await valueOf(destination.clusterId)).toBe("lkc-9wz1");
    expect(await valueOf(destination.bootstrap)).toBe("lkc-9wz1.dom4x2.us-east-1.aws.confluent.cloud:9092");
    expect(await valueOf(destination.restEndpoint)).toBe(REST);
    expect(await valueOf(destination.apiKey)).toBe("KEY-destination-admin");
    expect(Object.keys(destination.groupAccess)).toEqual(["payments", "orders"]);
    const payments = destination.groupAccess.payments;
    expect(await valueOf(payments.principal)).toBe("User:sa-destination-payments-apps");
    expect(await valueOf(payments.apiKey)).toBe("KEY-destination-payments-apps");
    expect(await valueOf(payments.apiSecret)).toBe(`${SECRET_MARKER}destination-payments-apps`);
    const secrets = [
      destination.apiSecret,
      destination.linkAccess?.apiSecret,
      destination.gatewayAccess?.apiSecret,
      ...Object.values(destination.groupAccess).map((a) => a.apiSecret),
    ];
    for (const s of secrets) {
      expect(s).toBeDefined();
      expect(await isSecretOutput(s as pulumi.Output<string>)).toBe(true);
    }
    expect(await isSecretOutput(payments.principal)).toBe(false);
  });

  it("puts no API secret or password in plain text into any child's inputs, and logs nothing", async () => {
    const { cloud } = await build(preview);
    const leaks = cloud.declared.flatMap((d) =>
      plainStrings(d.inputs)
        .filter((s) => s.value.includes(SECRET_MARKER))
        .map((s) => `${d.name}.${s.path}`),
    );
    expect(leaks).toEqual([]);
    for (const spy of logged) expect(spy).not.toHaveBeenCalled();
    const sdkTrace =
      /^(Registering resource|RegisterResource RPC|Invoking function|Invoke RPC|Reading resource|ReadResource RPC|Resource RPC prepared|Registering resource outputs|RegisterResourceOutputs RPC|, obj=)/;
    expect(debug.mock.calls.map((c) => String(c[0])).filter((line) => !sdkTrace.test(line))).toEqual([]);
  });
});

/** The Confluent Cloud child each networking type adds to the network, and the network's connection type. */
const NETWORK_LINK: Record<NetworkingType, [string, string]> = {
  privatelink: ["PRIVATELINK", `${CC}privateLinkAccess:PrivateLinkAccess`],
  peering: ["PEERING", `${CC}peering:Peering`],
  transitgateway: ["TRANSITGATEWAY", `${CC}transitGatewayAttachment:TransitGatewayAttachment`],
};

describe.each([false, true])("ConfluentDestination in create mode, per networking type (preview: %s)", (preview) => {
  it.each(Object.keys(NETWORK_LINK) as NetworkingType[])(
    "%s: puts the network in the new environment and the cluster in the network, the same principals either way",
    async (type) => {
      const { cloud, destination } = await build(preview, type);
      const [connectionType, linkType] = NETWORK_LINK[type];
      expect(inputsOf(cloud, `${CC}network:Network`)).toMatchObject({
        environment: { id: "env-7qm3" },
        connectionTypes: [connectionType],
        region: "us-east-1",
        ...(type === "privatelink" ? {} : { cidr: type === "peering" ? "10.10.0.0/16" : "10.20.0.0/16" }),
      });
      expect(inputsOf(cloud, linkType)).toMatchObject({ environment: { id: "env-7qm3" }, network: { id: "n-8xk2" } });
      expect(inputsOf(cloud, `${CC}kafkaCluster:KafkaCluster`)).toMatchObject({
        environment: { id: "env-7qm3" },
        network: { id: "n-8xk2" },
        dedicated: { cku: 3 },
      });
      expect(ofType(cloud, API_KEY).map((k) => k.name)).toEqual([
        "destination-admin",
        "destination-link",
        "destination-gateway",
        "destination-payments-apps",
        "destination-orders-apps",
      ]);
      expect(await valueOf(destination.bootstrap)).toBe("lkc-9wz1.dom4x2.us-east-1.aws.confluent.cloud:9092");
      expect(
        cloud.declared.flatMap((d) =>
          plainStrings(d.inputs)
            .filter((x) => x.value.includes(SECRET_MARKER))
            .map((x) => `${d.name}.${x.path}`),
        ),
      ).toEqual([]);
    },
  );
});

describe.each([false, true])("ConfluentDestination in existing mode (preview: %s)", (preview) => {
  it("declares no Confluent Cloud or AWS resource and passes the configured cluster through", async () => {
    const cloud = mockCloud(preview);
    const config = validateStackConfig(rawConfig(validPlain(), validSecrets()));
    const destination = new ConfluentDestination("destination", { config: config.destination, groups: config.groups });
    expect(await valueOf(destination.bootstrap)).toBe("pkc-xyz.us-east-1.aws.confluent.cloud:9092");
    expect(await valueOf(destination.apiSecret)).toBe("api-secret");
    expect(await isSecretOutput(destination.apiSecret)).toBe(true);
    expect(destination.groupAccess).toEqual({});
    expect(cloud.declared.map((d) => d.type)).toEqual(["kafka-cutover:index:ConfluentDestination"]);
    expect(cloud.invoked).toEqual([]);
  });
});

describe("ConfluentDestination validation", () => {
  it("refuses, before declaring anything, a cluster name that makes service account names too long", () => {
    const cloud = mockCloud(false);
    const config = createStack("privatelink", (plain) => {
      (plain.destination as { cluster: { name: string } }).cluster.name = "x".repeat(55);
    });
    expect(
      () => new ConfluentDestination("destination", { config: config.destination, groups: config.groups }),
    ).toThrow(
      /kafka-cutover:destination\.cluster\.name: .* longer than 64 characters .*pulumi config set --path 'kafka-cutover:destination\.cluster\.name'/,
    );
    expect(cloud.declared.filter((d) => !d.type.startsWith("kafka-cutover:"))).toEqual([]);
  });
});
