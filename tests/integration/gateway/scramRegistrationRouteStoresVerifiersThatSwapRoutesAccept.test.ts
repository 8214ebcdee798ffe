/**
 * The CR exactly as the product builds it (components/gatewaySpec.ts: File secret store, swap routes with
 * SCRAM in and the plain-jaas template out, the `scram-registration` route) on the Kubernetes API emulator:
 * the Java Admin client registers a SCRAM user through the registration route (AlterUserScramCredentials,
 * answered by the gateway, verifiers written to `<clientCredentialsRef>-scram-verifiers`), then kafkajs
 * signs in with SCRAM-SHA-512 on the group's swap route and produces/consumes on the destination.
 * Unregistered principals, principals missing from the store, deletions, a gateway restart, and a bad or
 * missing jaas template (ApplyFailed; the running config keeps serving) are covered too.
 */
import * as pulumi from "@pulumi/pulumi";
import { Kafka, logLevel, type SASLOptions } from "kafkajs";
import type { GatewayConfig, MigrationGroupConfig } from "../../../config";
import {
  gatewaySecretNames,
  gatewaySpec as productGatewaySpec,
  SCRAM_REGISTRATION_ROUTE,
  secretStoreName,
} from "../../../components/gatewaySpec";
import {
  kafkaMessageSpecs,
  parseHostPort,
  Protocol,
  ScramVerifierStore,
  secretValues,
  startKubernetesGateway,
  VERIFIERS_KEY,
  type GatewaySpec,
  type RunningKubernetesGateway,
} from "../../../local/gateway";
import { kafkajsConfig } from "../../../local/kafka";
import { registerScramCredential } from "../../../local/kafka/registerScram";
import { PLAIN_JAAS, STORE, STORE_CONFIG, SWAP_SECRET, swapSecrets } from "./helpers/cr";
import { freePortBlock, kafkaPair, type PairHandle } from "./helpers/env";
import { consumeValuesWith } from "../helpers/kafka";
import {
  applyGateway,
  createSecret,
  deleteSecret,
  getSecret,
  ready,
  replaceSecret,
  startPrivateKubernetes,
  waitForStatus,
} from "./helpers/kube";
import { RawKafkaClient } from "./helpers/raw";

const GW = "gw";
const VERIFIERS = `${SWAP_SECRET}-scram-verifiers`;
const ORDERS_PASSWORD = "orders-scram-password";

let pair: PairHandle;
let kube: Awaited<ReturnType<typeof startPrivateKubernetes>>;
let gateway: RunningKubernetesGateway;
let protocol: Protocol;
const log: string[] = [];
let groupPort: number;
let registrationPort: number;

function startGateway(): Promise<RunningKubernetesGateway> {
  return startKubernetesGateway({
    stateDir: pair.stateDir,
    kubeconfig: kube.api.kubeconfigPath,
    namespace: "default",
    log: (m) => log.push(m),
  });
}

beforeAll(async () => {
  pair = await kafkaPair();
  kube = await startPrivateKubernetes();
  protocol = new Protocol(await kafkaMessageSpecs(pair.stateDir));
  groupPort = await freePortBlock(3);
  registrationPort = await freePortBlock(3);
  const { source, destination } = pair.endpoints;
  // The Secrets Pulumi declares next to the CR: store config, principal → key/secret, jaas template.
  for (const s of swapSecrets({
    "orders-app": { apiKey: destination.apiKey, apiSecret: destination.apiSecret },
    "billing-app": { apiKey: destination.apiKey, apiSecret: destination.apiSecret },
  }))
    await createSecret(kube.api, s.metadata.name, secretValues(s));
  gateway = await startGateway();

  const gw: GatewayConfig = {
    namespace: "default",
    name: GW,
    kubeconfig: pulumi.output(""),
    sourceDomain: "source",
    destinationDomain: "destination",
    sourceNodeIds: { start: 0, end: 1 },
    destinationNodeIds: { start: 0, end: 1 },
    swap: { clientAuthentication: "scram", clusterAuthentication: "plain", principalMappingRules: [] },
    scramRegistrationEndpoint: { host: "127.0.0.1", port: registrationPort },
    replicas: 3,
    hotReload: true,
  };
  const group: MigrationGroupConfig = {
    name: "orders",
    topics: [],
    consumerGroups: [],
    endpoint: { host: "127.0.0.1", port: groupPort },
    auth: "swap",
    principals: [],
    lagThreshold: 0,
    timeouts: { readinessMs: 1, fenceMs: 1, promoteMs: 1, switchMs: 1, fenceVerifyMs: 1 },
    fence: { errorCode: "COORDINATOR_NOT_AVAILABLE" },
    cutover: true,
  };
  const clusters = {
    source: { brokers: [parseHostPort(source.bootstrap)], securityProtocol: "SASL_PLAINTEXT" as const },
    destination: { brokers: [parseHostPort(destination.bootstrap)], securityProtocol: "SASL_PLAINTEXT" as const },
  };
  // The names the test's Secrets use are the product's.
  expect(gatewaySecretNames(GW)).toMatchObject({
    storeConfig: STORE_CONFIG,
    swapCredentials: SWAP_SECRET,
    plainJaas: PLAIN_JAAS,
  });
  expect(secretStoreName(GW)).toBe(STORE);
  // orders' cutover finished: its swap route is on the destination.
  const spec: GatewaySpec = productGatewaySpec(gw, clusters, [group], { orders: { recorded: "cut-over" } });
  expect(spec.routes?.map((r) => r.name)).toEqual(["orders", SCRAM_REGISTRATION_ROUTE]);
  await applyGateway(kube.api, GW, spec, "pulumi");
  const cr = await waitForStatus(kube.api, GW, (s) => s.observedGeneration === 1);
  expect(ready(cr.status ?? {})).toMatchObject({ status: "True", reason: "Applied" });
});

afterAll(async () => {
  await gateway?.stop();
  await kube?.stop();
  await pair?.stop();
});

function viaRoute(port: number, sasl: SASLOptions): Kafka {
  return new Kafka({
    clientId: "registration-test",
    brokers: [`127.0.0.1:${port}`],
    sasl,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
}

async function refused(port: number, sasl: SASLOptions): Promise<string> {
  const admin = viaRoute(port, sasl).admin();
  try {
    await admin.connect();
  } catch (err) {
    return (err as Error).message;
  } finally {
    await admin.disconnect();
  }
  throw new Error(`${sasl.mechanism} login of ${"username" in sasl ? sasl.username : "?"} was accepted`);
}

async function verifiersInKubernetes(): Promise<Map<string, Map<string, unknown>>> {
  const secret = await getSecret(kube.api, VERIFIERS);
  return ScramVerifierStore.decode({ metadata: { name: VERIFIERS }, data: secret.data ?? {} });
}

it("registers a SCRAM user through the registration route (Java Admin alterUserScramCredentials) into the verifiers Secret", async () => {
  const { destination } = pair.endpoints;
  // Before registration the group route knows no SCRAM credential for the principal.
  expect(
    await refused(groupPort, { mechanism: "scram-sha-512", username: "orders-app", password: ORDERS_PASSWORD }),
  ).toMatch(/authentication failed/i);
  await registerScramCredential({
    bootstrap: `127.0.0.1:${registrationPort}`,
    admin: { username: "orders-app", password: destination.apiSecret },
    username: "orders-app",
    password: ORDERS_PASSWORD,
    stateDir: pair.stateDir,
  });
  const stored = await verifiersInKubernetes();
  expect([...(stored.get("orders-app")?.keys() ?? [])]).toEqual(["SCRAM-SHA-512"]);
  const raw = Buffer.from((await getSecret(kube.api, VERIFIERS)).data?.[VERIFIERS_KEY] ?? "", "base64").toString(
    "utf8",
  );
  expect(raw).toContain('"iterations": 4096');
  expect(raw).not.toContain(ORDERS_PASSWORD);
  expect(log.some((l) => l.includes("AlterUserScramCredentials orders-app"))).toBe(true);
});

it("kafkajs signs in with SCRAM-SHA-512 on the swap route and produces/consumes on the destination", async () => {
  const topic = `reg-${Date.now().toString(36)}`;
  const direct = new Kafka(kafkajsConfig(pair.endpoints.destination)).admin();
  await direct.connect();
  await direct.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });

  const kafka = viaRoute(groupPort, { mechanism: "scram-sha-512", username: "orders-app", password: ORDERS_PASSWORD });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: "one" }, { value: "two" }] });
  await producer.disconnect();
  const seen = await consumeValuesWith(kafka, topic, `g-${topic}`, 2, 45_000);
  expect(seen.sort()).toEqual(["one", "two"]);
  // The records are on the destination itself.
  expect((await direct.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0)).toBe(2);
  await direct.disconnect();
}, 90_000);

it("refuses an unregistered principal, a wrong password, and a registered principal missing from the client-credentials Secret", async () => {
  const { destination } = pair.endpoints;
  // In the store, never registered: no verifier (its API secret only opens the registration route).
  expect(
    await refused(groupPort, { mechanism: "scram-sha-512", username: "billing-app", password: destination.apiSecret }),
  ).toMatch(/authentication failed/i);
  expect(await refused(groupPort, { mechanism: "scram-sha-512", username: "orders-app", password: "wrong" })).toMatch(
    /authentication failed/i,
  );
  // Registered (any authenticated client of the registration route may register), but no destination credentials.
  await registerScramCredential({
    bootstrap: `127.0.0.1:${registrationPort}`,
    admin: { username: "orders-app", password: ORDERS_PASSWORD },
    username: "ghost-app",
    password: "ghost-password",
    stateDir: pair.stateDir,
  });
  expect((await verifiersInKubernetes()).has("ghost-app")).toBe(true);
  // The SCRAM proof succeeds; the gateway then has nothing to sign in upstream with.
  expect(
    await refused(groupPort, { mechanism: "scram-sha-512", username: "ghost-app", password: "ghost-password" }),
  ).toMatch(/authentication failed.*principal ghost-app has no entry in secret gw-swap-credentials/i);
});

it("answers AlterUserScramCredentials itself: PLAIN with the API secret signs in, deletions remove verifiers, errors per user", async () => {
  const client = await RawKafkaClient.connect(registrationPort, protocol);
  try {
    const login = await client.plainLogin("billing-app", pair.endpoints.destination.apiSecret);
    expect(login.ErrorCode).toBe(0);
    const response = await client.request(51, 0, {
      Deletions: [
        { Name: "ghost-app", Mechanism: 2 },
        { Name: "nobody", Mechanism: 2 },
      ],
      Upsertions: [
        { Name: "weak", Mechanism: 2, Iterations: 10, Salt: Buffer.from("salt"), SaltedPassword: Buffer.alloc(64, 1) },
      ],
    });
    expect(response.Results).toEqual([
      { User: "ghost-app", ErrorCode: 0, ErrorMessage: null },
      { User: "nobody", ErrorCode: 91, ErrorMessage: expect.any(String) },
      { User: "weak", ErrorCode: 93, ErrorMessage: expect.any(String) },
    ]);
  } finally {
    client.close();
  }
  const stored = await verifiersInKubernetes();
  expect([...stored.keys()].sort()).toEqual(["orders-app"]);
  expect(
    await refused(groupPort, { mechanism: "scram-sha-512", username: "ghost-app", password: "ghost-password" }),
  ).toMatch(/authentication failed/i);
  // A PLAIN login with anything but the API secret is refused on the registration route too.
  const wrong = await RawKafkaClient.connect(registrationPort, protocol);
  try {
    expect((await wrong.plainLogin("billing-app", "not-the-secret")).ErrorCode).toBe(58);
  } finally {
    wrong.close();
  }
});

it("keeps registrations across a gateway restart (loaded from the verifiers Secret)", async () => {
  await gateway.stop();
  gateway = await startGateway();
  await waitForStatus(kube.api, GW, (s) => ready(s).status === "True");
  const admin = viaRoute(groupPort, {
    mechanism: "scram-sha-512",
    username: "orders-app",
    password: ORDERS_PASSWORD,
  }).admin();
  await admin.connect();
  expect((await admin.describeCluster()).brokers.length).toBeGreaterThan(0);
  await admin.disconnect();
});

it("reports ApplyFailed for a bad or missing jaas template while the running config keeps serving", async () => {
  const good = secretValues(swapSecrets({})[2]);
  const check = async (): Promise<void> => {
    const admin = viaRoute(groupPort, {
      mechanism: "scram-sha-512",
      username: "orders-app",
      password: ORDERS_PASSWORD,
    }).admin();
    await admin.connect();
    expect((await admin.describeCluster()).brokers.length).toBeGreaterThan(0);
    await admin.disconnect();
  };
  const bad: [string, RegExp][] = [
    [
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="%s";',
      /has 1 %s placeholders, needs 2/,
    ],
    [
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";',
      /login module is org\.apache\.kafka\.common\.security\.scram\.ScramLoginModule/,
    ],
    ['org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s"', /missing ';'/],
  ];
  for (const [template, message] of bad) {
    await replaceSecret(kube.api, PLAIN_JAAS, { "plain-jaas.conf": template });
    const cr = await waitForStatus(
      kube.api,
      GW,
      (s) => ready(s).reason === "ApplyFailed" && message.test(ready(s).message ?? ""),
    );
    expect(ready(cr.status ?? {}).message).toContain(`secret ${PLAIN_JAAS} plain-jaas.conf`);
    expect(cr.status?.observedGeneration).toBe(1);
    await check();
    await replaceSecret(kube.api, PLAIN_JAAS, good);
    await waitForStatus(kube.api, GW, (s) => ready(s).status === "True");
  }
  await replaceSecret(kube.api, PLAIN_JAAS, { other: "x" });
  await waitForStatus(kube.api, GW, (s) =>
    (ready(s).message ?? "").includes(`secret ${PLAIN_JAAS} has no key plain-jaas.conf`),
  );
  await deleteSecret(kube.api, PLAIN_JAAS);
  await waitForStatus(kube.api, GW, (s) => (ready(s).message ?? "").includes(`secretRef ${PLAIN_JAAS} not found`));
  await check();
  await createSecret(kube.api, PLAIN_JAAS, good);
  await waitForStatus(kube.api, GW, (s) => ready(s).status === "True");
  await check();
});
