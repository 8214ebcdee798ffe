/**
 * A swap route with `cluster.authentication.type: oauth`, as components/gatewaySpec.ts declares it: the Gateway
 * fills the `oauth-jaas.conf` template with the principal's store entry (OAuth client id / secret), gets a token
 * from `oauthSettings.tokenEndpointUri` (client credentials), and signs in to the destination with SASL/OAUTHBEARER
 * (RFC 7628), so the destination sees `User:<client id>`. One token serves every connection until 80 % of its life
 * has passed, then a new one is fetched. SCRAM, PLAIN and mTLS in all reach the destination that way. A wrong client
 * secret and a token the destination refuses (expired) fail the client's login with the reason; a token endpoint the
 * JVM's allowed-URLs property does not list is never called.
 */
import * as fs from "node:fs";
import { AclOperationTypes, AclResourceTypes, Kafka, logLevel } from "kafkajs";
import {
  InMemoryGateway,
  InMemorySecrets,
  startGateway,
  type GatewaySpec,
  type RunningGateway,
} from "../../../local/gateway";
import { registerOAuthClient } from "../../../local/oauth/clients";
import type { OAuthServerInfo } from "../../../local/oauth/daemon";
import { allowAll } from "../../../local/principals";
import { clientTlsSecret, gatewaySpec, registeredScramUsers, swapSecrets } from "./helpers/cr";
import { gatewayCertificates, readPem } from "./helpers/tls";
import type { LocalCertificates } from "../../../local/certificates";
import { freePortBlock, kafkaPair, type PairHandle } from "./helpers/env";
import { captureError, consumeValuesWith, createTopic } from "../helpers/kafka";
import { eventually, uniqueName } from "../helpers";

const OAUTH_JAAS = "gw-oauth-jaas";
const PASSWORD = "app-password";

let pair: PairHandle;
let oauth: OAuthServerInfo;
let gateway: RunningGateway;
let cr: InMemoryGateway;
let port: number;
let plainPort: number;
let mtlsPort: number;
let certs: LocalCertificates;
let goodSecret: string;
let topic: string;
let good: string;
let shortLived: string;
const gatewayLog: string[] = [];

/** The route's CR: swap, SCRAM in, OAUTHBEARER out, and the pods' GATEWAY_OPTS with `allowedUrls`. */
function oauthSpec(allowedUrls: string): GatewaySpec {
  const spec = gatewaySpec(pair.endpoints, [
    { name: "oauth", port, domain: "destination", auth: "swap" },
    { name: "oauth-plain", port: plainPort, domain: "destination", auth: "swap", client: "plain" },
    { name: "oauth-mtls", port: mtlsPort, domain: "destination", auth: "swap", client: "mtls" },
  ]);
  for (const route of spec.routes ?? []) {
    if (!route.security) throw new Error("no route security");
    route.security.cluster = {
      authentication: {
        type: "oauth",
        jaasConfigPassThrough: { secretRef: OAUTH_JAAS },
        oauthSettings: { tokenEndpointUri: oauth.tokenEndpoint },
      },
    };
  }
  return {
    ...spec,
    podTemplate: {
      envVars: [
        { name: "GATEWAY_OPTS", value: `-Xmx512m -Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=${allowedUrls}` },
      ],
    },
  };
}

beforeAll(async () => {
  pair = await kafkaPair();
  const info = (JSON.parse(fs.readFileSync(`${pair.stateDir}/endpoints.json`, "utf8")) as { oauth?: OAuthServerInfo })
    .oauth;
  if (!info) throw new Error("endpoints.json has no oauth: restart the environment (npm run local:up)");
  oauth = info;
  good = uniqueName("oauth-gw");
  shortLived = uniqueName("oauth-short");
  const late = uniqueName("oauth-late");
  goodSecret = registerOAuthClient(pair.stateDir, good).secret;
  // 6 s tokens: refreshed after 4.8 s, well inside one test.
  const shortSecret = registerOAuthClient(pair.stateDir, shortLived, { lifetimeSeconds: 6 }).secret;
  const lateSecret = registerOAuthClient(pair.stateDir, late, { lifetimeSeconds: -120 }).secret;

  topic = uniqueName("oauth-out");
  await createTopic(pair.endpoints.destination, topic, 2);
  for (const client of [good, shortLived])
    await allowAll(pair.endpoints, "destination", `User:${client}`, [
      [AclResourceTypes.TOPIC, topic, AclOperationTypes.WRITE],
      [AclResourceTypes.TOPIC, topic, AclOperationTypes.READ],
      [AclResourceTypes.TOPIC, topic, AclOperationTypes.DESCRIBE],
      [AclResourceTypes.GROUP, "*", AclOperationTypes.READ],
      [AclResourceTypes.CLUSTER, "kafka-cluster", AclOperationTypes.IDEMPOTENT_WRITE],
    ]);

  const secrets = new InMemorySecrets();
  const entries = {
    alice: { apiKey: good, apiSecret: goodSecret },
    bob: { apiKey: good, apiSecret: `${goodSecret}-wrong` },
    carol: { apiKey: late, apiSecret: lateSecret },
    dave: { apiKey: shortLived, apiSecret: shortSecret },
    // The principal of local:up's client certificate for demo-app (mTLS in).
    "demo-app": { apiKey: good, apiSecret: goodSecret },
  };
  for (const s of swapSecrets(entries)) secrets.put(s);
  secrets.put(registeredScramUsers({ alice: PASSWORD, bob: PASSWORD, carol: PASSWORD, dave: PASSWORD }));
  // As components/gateway.ts writes it (oauthJaasTemplate), under the key the confluent-kubernetes examples use.
  secrets.put({
    metadata: { name: OAUTH_JAAS },
    stringData: {
      "oauth-jaas.conf": `org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="%s" clientSecret="%s" extension_logicalCluster="${pair.endpoints.destination.clusterId}";`,
    },
  });
  certs = gatewayCertificates(["demo-app"]);
  secrets.put(clientTlsSecret({ ...readPem(certs.server), ca: fs.readFileSync(certs.ca.cert, "utf8") }));
  port = await freePortBlock(3);
  plainPort = await freePortBlock(3);
  mtlsPort = await freePortBlock(3);
  cr = new InMemoryGateway("gw");
  cr.apply(oauthSpec(oauth.tokenEndpoint));
  gateway = await startGateway({
    stateDir: pair.stateDir,
    source: cr,
    status: cr,
    secrets,
    log: (m) => gatewayLog.push(m),
  });
  await gateway.operator?.idle();
  await gateway.dataPlane.waitSettled();
  expect(cr.status?.conditions?.[0]).toMatchObject({ status: "True" });
});

afterAll(async () => {
  await gateway?.stop();
  await pair?.stop();
});

function as(principal: string, retries = 5): Kafka {
  return new Kafka({
    clientId: `oauth-out-${principal}`,
    brokers: [`127.0.0.1:${port}`],
    sasl: { mechanism: "scram-sha-512", username: principal, password: PASSWORD },
    retry: { retries },
    logLevel: logLevel.NOTHING,
  });
}

async function produce(principal: string, values: string[]): Promise<void> {
  const producer = as(principal).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: values.map((value) => ({ value })) });
  } finally {
    await producer.disconnect();
  }
}

it("signs the client's principal in upstream with its OAuth client's token: produce and consume reach the destination", async () => {
  await produce("alice", ["a", "b", "c"]);
  const seen = await consumeValuesWith(as("alice"), topic, uniqueName("oauth-group"), 3, 30_000);
  expect(seen.sort()).toEqual(["a", "b", "c"]);
  // One token, fetched once, served every connection those clients opened.
  expect(gatewayLog.filter((l) => l.includes(`token of OAuth client ${good}`))).toEqual([
    expect.stringMatching(
      new RegExp(`^fetched the token of OAuth client ${good} from ${oauth.tokenEndpoint} \\(expires in \\d+ s\\)$`),
    ),
  ]);
});

it("PLAIN in and mTLS in, OAUTHBEARER out: produce and consume reach the destination as the OAuth client", async () => {
  // PLAIN in: the emulator takes the store entry's secret as the principal's password (see the README).
  const plain = new Kafka({
    clientId: "oauth-out-plain",
    brokers: [`127.0.0.1:${plainPort}`],
    sasl: { mechanism: "plain", username: "alice", password: goodSecret },
    retry: { retries: 5 },
    logLevel: logLevel.NOTHING,
  });
  const mtls = new Kafka({
    clientId: "oauth-out-mtls",
    brokers: [`127.0.0.1:${mtlsPort}`],
    ssl: { ca: [fs.readFileSync(certs.ca.cert, "utf8")], ...readPem(certs.clients["demo-app"]) },
    retry: { retries: 5 },
    logLevel: logLevel.NOTHING,
  });
  for (const [name, kafka] of [
    ["plain", plain],
    ["mtls", mtls],
  ] as const) {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: `${name}-1` }, { value: `${name}-2` }] });
    await producer.disconnect();
    const seen = await consumeValuesWith(kafka, topic, uniqueName(`oauth-${name}`), 5, 30_000);
    expect(seen).toEqual(expect.arrayContaining([`${name}-1`, `${name}-2`]));
  }
});

it("fetches a new token once 80 % of the last one's life has passed, and signs in with it", async () => {
  await produce("dave", ["d1"]);
  const fetched = (): string[] => gatewayLog.filter((l) => l.includes(`token of OAuth client ${shortLived}`));
  expect(fetched()).toEqual([expect.stringMatching(/^fetched /)]);
  await new Promise((r) => setTimeout(r, 5_500));
  await produce("dave", ["d2"]);
  expect(fetched()).toEqual([expect.stringMatching(/^fetched /), expect.stringMatching(/^refreshed /)]);
});

it("refuses a principal whose OAuth client secret is wrong, with the token endpoint's answer", async () => {
  const { error } = await captureError(() => as("bob", 0).admin().connect());
  expect(error.name).toBe("KafkaJSSASLAuthenticationError");
  expect(error.message).toContain(
    "gateway could not log in upstream for bob: The response code 401 and error response {invalid_client - Client authentication failed} was encountered reading the token endpoint response",
  );
  expect(gatewayLog.join("\n")).toContain("route oauth: refusing bob: gateway could not log in upstream for bob");
});

it("refuses a principal whose token the destination refuses (issued expired), saying it expired", async () => {
  const { error } = await captureError(() => as("carol", 0).admin().connect());
  expect(error.name).toBe("KafkaJSSASLAuthenticationError");
  expect(error.message).toMatch(
    /gateway could not log in upstream for carol: the cluster refused the token of OAuth client oauth-late-\S+: \{"status":"invalid_token"\} \(the token expired at \S+, 1\d\d s ago\)/,
  );
});

it("never calls a token endpoint the JVM's allowed-URLs property does not list (exact match), as Kafka 4 refuses it", async () => {
  // A trailing slash is another URL to Kafka's check.
  cr.apply(oauthSpec(`${oauth.tokenEndpoint}/,http://127.0.0.1:1/token`));
  await gateway.operator?.idle();
  await gateway.dataPlane.waitSettled();
  expect(cr.status?.conditions?.[0]).toMatchObject({ status: "True" }); // the operator does not read JVM options
  const { error } = await captureError(() => as("dave", 0).admin().connect());
  expect(error.message).toContain(
    `gateway could not log in upstream for dave: Invalid value ${oauth.tokenEndpoint} for configuration sasl.oauthbearer.token.endpoint.url: The URL cannot be accessed due to restrictions. Update the system property 'org.apache.kafka.sasl.oauthbearer.allowed.urls' to allow the URL to be accessed.`,
  );
  // Listed among others: allowed again.
  cr.apply(oauthSpec(`http://127.0.0.1:1/token,${oauth.tokenEndpoint}`));
  await gateway.operator?.idle();
  await gateway.dataPlane.waitSettled();
  await eventually(() => produce("alice", ["again"]), { what: "produce once the endpoint is allowed" });
});
