/**
 * The Gateway component under Pulumi mocks, in preview and in up, for every translation path: what it
 * asks Kubernetes for (provider, the swap Secrets, the CR) and where each secret-store entry comes from —
 * swapCredentials, the API keys a created destination made, or the OAuth client — with every credential
 * secret and none in plain text in any input or log line.
 */
import * as pulumi from "@pulumi/pulumi";
import { Gateway, GatewayArgs, GroupApiKey, PLAIN_JAAS_TEMPLATE } from "../../../components";
import { groupRoute } from "../../../components/gatewaySpec";
import { StackConfig, validateStackConfig } from "../../../config";
import { createDestination, rawConfig, validPlain } from "../config/rawConfig";
import { captureLogs, leaksIn } from "./logCapture";
import { MockCloud, SECRET_MARKER, inputsOf, isSecretValue, mockCloud, ofType, settled, valueOf } from "./mockCloud";

const SECRET = "kubernetes:core/v1:Secret";
const TOKEN_ENDPOINT = "https://idp.example.com/oauth2/token";
const CLUSTER_ID = "lkc-9wz1";
const MTLS_RULE = "RULE:^CN=([^,]+).*$/$1/";

type Mode = "existing" | "create";
type ClientAuth = "scram" | "plain" | "mtls";
type ClusterAuth = "plain" | "oauth";

const SECRETS = {
  sourcePassword: `${SECRET_MARKER}scram-password`,
  destinationApiSecret: `${SECRET_MARKER}admin-api-secret`,
  kubeconfig: `apiVersion: v1\nkind: Config\nusers: [{name: ${SECRET_MARKER}kube}]\n`,
  swapCredentials: JSON.stringify({
    "orders-service": `ORDERSKEY/${SECRET_MARKER}orders`,
    "billing-svc": `BILLINGKEY/${SECRET_MARKER}billing`,
    "billing-batch": `BILLINGKEY/${SECRET_MARKER}billing`,
  }),
  swapOAuthClientId: `${SECRET_MARKER}client-0oa1`,
  swapOAuthClientSecret: `${SECRET_MARKER}oauth-client-secret`,
};

/** The API keys a created destination made for each group's apps (ConfluentDestination.groupAccess). */
const GROUP_KEYS: Record<string, GroupApiKey> = Object.fromEntries(
  ["payments", "orders", "billing"].map((g) => [
    g,
    { apiKey: pulumi.output(`KEY-${g}`), apiSecret: pulumi.secret(`${SECRET_MARKER}key-${g}`) },
  ]),
);

const CLUSTERS = {
  source: { brokers: [{ host: "b-1.msk.example", port: 9096 }], securityProtocol: "SASL_SSL" as const },
  destination: { brokers: [{ host: `${CLUSTER_ID}.example`, port: 9092 }], securityProtocol: "SASL_SSL" as const },
};

/**
 * payments passes through; orders (cut over) and billing (not yet) swap, unless `passthroughOnly`.
 * The config goes through validation, as the program's does.
 */
function stack(mode: Mode, client: ClientAuth, cluster: ClusterAuth, passthroughOnly = false): StackConfig {
  const plain = validPlain();
  const gateway = plain.gateway as Record<string, unknown>;
  gateway.swap = {
    clientAuthentication: client,
    clusterAuthentication: cluster,
    ...(client === "mtls" ? { principalMappingRules: [MTLS_RULE] } : {}),
    ...(cluster === "oauth" ? { tokenEndpointUri: TOKEN_ENDPOINT, identityPoolId: "pool-Ab12" } : {}),
  };
  if (client !== "scram") delete gateway.scramRegistrationEndpoint;
  const groups = plain.groups as Record<string, unknown>[];
  groups.push({
    name: "billing",
    topics: ["billing.invoices"],
    endpoint: "billing.gw.example:9092",
    auth: "swap",
    principals: ["billing-svc", "billing-batch"],
  });
  if (passthroughOnly)
    for (const g of groups) {
      g.auth = "passthrough";
      delete g.principals;
    }
  if (mode === "create") plain.destination = createDestination({ name: "orders-prod" });
  const drop = [
    ...(mode === "create" ? ["destinationApiSecret"] : []),
    ...(mode === "create" || cluster === "oauth" || passthroughOnly ? ["swapCredentials"] : []),
    ...(cluster === "plain" ? ["swapOAuthClientId", "swapOAuthClientSecret"] : []),
  ];
  const secrets = Object.fromEntries(Object.entries(SECRETS).filter(([k]) => !drop.includes(k)));
  return validateStackConfig(rawConfig(plain, secrets));
}

/** A plain custom resource, standing in for a cutover or carrying test inputs. */
class Probe extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(type, name, props, opts);
  }
}

/** Every read of the live Gateway CR the component made. */
let reads: { kubeconfig: string; namespace: string; name: string }[] = [];

async function build(
  preview: boolean,
  mode: Mode,
  config: StackConfig,
  extra: Partial<GatewayArgs> = {},
): Promise<MockCloud> {
  reads = [];
  const cloud = mockCloud(preview);
  const cutover = new Probe("test:index:Cutover", "orders-cutover", {}, { transformations: [cloud.transformation] });
  const gateway = new Gateway(
    "gateway",
    {
      config: config.gateway,
      groups: config.groups,
      clusters: CLUSTERS,
      destinationClusterId: pulumi.output(CLUSTER_ID),
      ...(mode === "create" ? { groupKeys: GROUP_KEYS } : {}),
      cutovers: [cutover],
      // The live CR as orders' finished cutover left it; the others' routes are on the source.
      readLiveRoutes: async (kubeconfig, namespace, name) => {
        reads.push({ kubeconfig, namespace, name });
        const orders = config.groups.find((g) => g.name === "orders");
        return orders && { orders: groupRoute(config.gateway, orders, "destination") };
      },
      ...extra,
    },
    { transformations: [cloud.transformation] },
  );
  await valueOf(gateway.name);
  await settled(cloud);
  return cloud;
}

/** A Secret's `stringData` as the mock received it, and whether it arrived secret. */
function secretData(cloud: MockCloud, name: string): { secret: boolean; data: Record<string, string> } {
  const stringData = inputsOf(cloud, SECRET, name).stringData;
  return isSecretValue(stringData)
    ? { secret: true, data: (stringData as { value: Record<string, string> }).value }
    : { secret: false, data: stringData as Record<string, string> };
}

interface CrSpec {
  podTemplate?: unknown;
  secretStores?: unknown[];
  routes: { name: string; streamingDomain: { name: string }; security: Record<string, unknown> }[];
}

function crSpec(cloud: MockCloud): CrSpec {
  const crs = cloud.declared.filter((d) => d.type === "kubernetes:platform.confluent.io/v1beta1:Gateway");
  expect(crs.map((c) => c.name)).toEqual(["gateway-cr"]);
  return crs[0].inputs.spec as CrSpec;
}

const CLIENT: Record<ClientAuth, Record<string, unknown>> = {
  scram: { type: "scram", scram: { alterScramCredentials: false } },
  plain: { type: "plain" },
  mtls: { type: "mtls", mtls: { principalMappingRules: [MTLS_RULE], sslClientAuthentication: "required" } },
};
const CLUSTER: Record<ClusterAuth, Record<string, unknown>> = {
  plain: { type: "plain", jaasConfigPassThrough: { secretRef: "migration-gateway-plain-jaas" } },
  oauth: {
    type: "oauth",
    jaasConfigPassThrough: { secretRef: "migration-gateway-oauth-jaas" },
    oauthSettings: { tokenEndpointUri: TOKEN_ENDPOINT },
  },
};
const OAUTH_JAAS =
  'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="%s" clientSecret="%s" extension_logicalCluster="lkc-9wz1" extension_identityPoolId="pool-Ab12";';

/** What the File secret store must hold for principals orders-service, billing-svc and billing-batch. */
function expectedEntries(mode: Mode, cluster: ClusterAuth): Record<string, string> {
  const each = (orders: string, billing: string) => ({
    "orders-service": orders,
    "billing-svc": billing,
    "billing-batch": billing,
  });
  if (cluster === "oauth") {
    const client = `${SECRETS.swapOAuthClientId}/${SECRETS.swapOAuthClientSecret}`;
    return each(client, client);
  }
  if (mode === "create")
    return each(`KEY-orders/${SECRET_MARKER}key-orders`, `KEY-billing/${SECRET_MARKER}key-billing`);
  return JSON.parse(SECRETS.swapCredentials) as Record<string, string>;
}

const PATHS: [Mode, ClientAuth, ClusterAuth][] = [
  ["existing", "scram", "plain"],
  ["create", "scram", "plain"],
  ["existing", "plain", "plain"],
  ["create", "plain", "plain"],
  ["existing", "mtls", "plain"],
  ["create", "mtls", "plain"],
  ["existing", "scram", "oauth"],
  ["create", "scram", "oauth"],
  ["existing", "plain", "oauth"],
  ["create", "mtls", "oauth"],
];

describe.each([false, true])("Gateway (preview: %s)", (preview) => {
  afterEach(() => jest.restoreAllMocks());

  describe.each(PATHS)("%s destination, %s in, %s out", (mode, client, cluster) => {
    it("fills the secret store for every swap group's principals from the right credentials, as a secret", async () => {
      const cloud = await build(preview, mode, stack(mode, client, cluster));
      expect(
        ofType(cloud, SECRET)
          .map((s) => s.name)
          .sort(),
      ).toEqual([`gateway-${cluster}-jaas`, "gateway-store-config", "gateway-swap-credentials"]);
      expect(inputsOf(cloud, SECRET, "gateway-store-config").metadata).toEqual({
        name: "migration-gateway-file-store-config",
        namespace: "confluent",
        labels: { "app.kubernetes.io/managed-by": "kafka-cutover" },
      });
      expect(secretData(cloud, "gateway-store-config")).toEqual({ secret: true, data: { separator: "/" } });
      expect((inputsOf(cloud, SECRET, "gateway-swap-credentials").metadata as { name: string }).name).toBe(
        "migration-gateway-swap-credentials",
      );
      expect(secretData(cloud, "gateway-swap-credentials")).toEqual({
        secret: true,
        data: expectedEntries(mode, cluster),
      });
    });

    it("gives the Gateway the JAAS template its cluster side fills, as a secret", async () => {
      const cloud = await build(preview, mode, stack(mode, client, cluster));
      const jaas = secretData(cloud, `gateway-${cluster}-jaas`);
      expect(jaas).toEqual({
        secret: true,
        data:
          cluster === "oauth"
            ? { "oauth-jaas.conf": OAUTH_JAAS, "oauth-jass.conf": OAUTH_JAAS }
            : { "plain-jaas.conf": PLAIN_JAAS_TEMPLATE },
      });
      expect((inputsOf(cloud, SECRET, `gateway-${cluster}-jaas`).metadata as { name: string }).name).toBe(
        `migration-gateway-${cluster}-jaas`,
      );
    });

    it("declares the swap route with this translation, and the CR after its Secrets and the cutovers", async () => {
      const cloud = await build(preview, mode, stack(mode, client, cluster));
      const spec = crSpec(cloud);
      expect(spec.routes.map((r) => [r.name, r.streamingDomain.name, r.security.auth])).toEqual([
        ["payments", "msk", "passthrough"],
        ["orders", "confluent-cloud", "swap"],
        ["billing", "msk", "passthrough"],
        ...(client === "scram" ? [["scram-registration", "confluent-cloud", "swap"]] : []),
      ]);
      expect(spec.routes[1].security).toEqual({
        auth: "swap",
        secretStore: "migration-gateway-store",
        client: {
          authentication: CLIENT[client],
          // mTLS in: the Gateway's certificate and the clients' CA, a Secret the operator provides.
          ...(client === "mtls" ? { tls: { secretRef: "migration-gateway-client-tls" } } : {}),
        },
        cluster: { authentication: CLUSTER[cluster] },
      });
      expect(spec.secretStores).toEqual([
        {
          name: "migration-gateway-store",
          provider: {
            type: "File",
            configSecretRef: "migration-gateway-file-store-config",
            clientCredentialsRef: "migration-gateway-swap-credentials",
          },
        },
      ]);
      // The token endpoint must also be allowed to the Gateway's JVM, or its OAuth login refuses to call it.
      expect(spec.podTemplate).toEqual(
        cluster === "oauth"
          ? {
              envVars: [
                { name: "GATEWAY_OPTS", value: `-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=${TOKEN_ENDPOINT}` },
              ],
            }
          : undefined,
      );
      expect(cloud.dependsOn.get("Gateway:gateway-cr")).toEqual([
        "Secret:gateway-store-config",
        "Secret:gateway-swap-credentials",
        `Secret:gateway-${cluster}-jaas`,
        "Cutover:orders-cutover",
      ]);
    });

    it("keeps every credential out of plain-text inputs and out of every log line", async () => {
      const logs = captureLogs();
      const cloud = await build(preview, mode, stack(mode, client, cluster));
      expect(leaksIn(cloud.declared)).toEqual([]);
      const provider = inputsOf(cloud, "pulumi:providers:kubernetes", "gateway-k8s");
      expect(isSecretValue(provider.kubeconfig)).toBe(true);
      expect(provider.namespace).toBe("confluent");
      // Our code logs nothing; the SDK's own debug traces of RPC responses (shown only with --debug or -v)
      // do carry secret outputs, which no program can prevent: see DESIGN.md.
      expect(logs.ours()).toEqual([]);
      expect(logs.lines().filter((l) => l.includes(SECRET_MARKER) && !l.startsWith("pulumi.debug: "))).toEqual([]);
    });
  });

  it("passthrough only: no secret store, no Secrets, no registration route", async () => {
    const cloud = await build(preview, "existing", stack("existing", "scram", "plain", true));
    expect(ofType(cloud, SECRET)).toEqual([]);
    const spec = crSpec(cloud);
    expect(spec.secretStores).toBeUndefined();
    expect(spec.podTemplate).toBeUndefined();
    expect(spec.routes.map((r) => [r.name, r.streamingDomain.name, r.security])).toEqual([
      ["payments", "msk", { auth: "passthrough" }],
      ["orders", "confluent-cloud", { auth: "passthrough" }],
      ["billing", "msk", { auth: "passthrough" }],
    ]);
    expect(cloud.dependsOn.get("Gateway:gateway-cr")).toEqual(["Cutover:orders-cutover"]);
  });

  it("reads the live CR with the Gateway's kubeconfig and declares it with patchForce, its spec not secret", async () => {
    const cloud = await build(preview, "existing", stack("existing", "scram", "plain"));
    expect(reads).toEqual([{ kubeconfig: SECRETS.kubeconfig, namespace: "confluent", name: "migration-gateway" }]);
    const cr = inputsOf(cloud, "kubernetes:platform.confluent.io/v1beta1:Gateway", "gateway-cr");
    // Pulumi takes spec.routes back from the cutover's field manager; what it declares is what is live.
    expect(cr.metadata).toEqual({
      name: "migration-gateway",
      namespace: "confluent",
      labels: { "app.kubernetes.io/managed-by": "kafka-cutover" },
      annotations: { "pulumi.com/patchForce": "true" },
    });
    expect(isSecretValue(cr.spec)).toBe(false);
  });

  it("reads the live CR only once every cutover has run; a route it lacks is where that cutover left it", async () => {
    let finish: (state: string) => void = () => undefined;
    const ordersState = new Promise<string>((resolve) => (finish = resolve));
    const config = stack("existing", "scram", "plain");
    const read = jest.fn(async () => undefined); // no CR yet
    const built = build(preview, "existing", config, {
      cutoverStates: { payments: "standing-by", orders: pulumi.output(ordersState), billing: "standing-by" },
      readLiveRoutes: read,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(read).not.toHaveBeenCalled();
    finish("cut-over");
    const spec = crSpec(await built);
    expect(read).toHaveBeenCalledTimes(1);
    expect(spec.routes.map((r) => [r.name, r.streamingDomain.name])).toEqual([
      ["payments", "msk"],
      ["orders", "confluent-cloud"],
      ["billing", "msk"],
      ["scram-registration", "confluent-cloud"],
    ]);
  });

  it("refuses, naming the key, a swap group the stack has no credential for", () => {
    mockCloud(preview);
    const config = stack("create", "scram", "plain");
    expect(
      () =>
        new Gateway("gateway", {
          config: config.gateway,
          groups: config.groups,
          clusters: CLUSTERS,
          destinationClusterId: CLUSTER_ID,
          groupKeys: { orders: GROUP_KEYS.orders },
        }),
    ).toThrow(/kafka-cutover:groups: billing uses auth: swap but the Gateway has no destination credential/);
  });
});

describe("the leak and log checkers", () => {
  afterEach(() => jest.restoreAllMocks());

  it("find a secret in a plain-text input, and not in a secret-wrapped one", async () => {
    const cloud = mockCloud(false);
    new Probe("test:index:Thing", "leaky", { data: { password: `${SECRET_MARKER}x` } });
    new Probe("test:index:Thing", "sealed", { data: pulumi.secret({ password: `${SECRET_MARKER}y` }) });
    await settled(cloud);
    expect(leaksIn(cloud.declared)).toEqual(["leaky.data.password"]);
  });

  it("see a secret in any log line, and lines our code writes", () => {
    const logs = captureLogs();
    pulumi.log.debug(`Registering resource: t=test:index:Thing, name=${SECRET_MARKER}a`);
    console.warn("value", { secret: `${SECRET_MARKER}b` });
    expect(logs.lines().filter((l) => l.includes(SECRET_MARKER))).toHaveLength(2);
    expect(logs.ours()).toEqual([`console.warn: value {"secret":"${SECRET_MARKER}b"}`]);
  });
});
