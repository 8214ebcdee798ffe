/**
 * kafkajs produces and consumes through a passthrough route (its own SCRAM login relayed to the source) and
 * through swap routes of a Gateway CR (SCRAM in against a registered verifier, or PLAIN in with the
 * principal's API secret; out, the File store's API key in the plain-jaas template to the destination),
 * and every broker or coordinator address it is given is a gateway address.
 */
import * as fs from "node:fs";
import { Kafka, logLevel, type SASLOptions } from "kafkajs";
import { InMemoryGateway, InMemorySecrets, startGateway, type RunningGateway } from "../../../local/gateway";
import { clientTlsSecret, gatewaySpec, registeredScramUsers, swapSecrets } from "./helpers/cr";
import { freePortBlock, kafkaPair, type PairHandle } from "./helpers/env";
import { consumeValuesWith } from "../helpers/kafka";
import { gatewayCertificates, readPem } from "./helpers/tls";

const uid = (p: string): string => `${p}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

let pair: PairHandle;
let gateway: RunningGateway;
const ports: Record<string, number> = {};
const clientPassword = "gateway-client-secret";
const certs = gatewayCertificates([]);

beforeAll(async () => {
  pair = await kafkaPair();
  const { destination } = pair.endpoints;
  const secrets = new InMemorySecrets();
  for (const s of swapSecrets({ "app-user": { apiKey: destination.apiKey, apiSecret: destination.apiSecret } }))
    secrets.put(s);
  secrets.put(registeredScramUsers({ "app-user": clientPassword }));
  secrets.put(clientTlsSecret({ ...readPem(certs.server), ca: fs.readFileSync(certs.ca.cert, "utf8") }));
  for (const name of ["passthrough", "swap-scram", "swap-plain", "swap-plain-tls"])
    ports[name] = await freePortBlock(3);
  const cr = new InMemoryGateway("gw");
  cr.apply(
    gatewaySpec(pair.endpoints, [
      { name: "passthrough", port: ports.passthrough, domain: "source" },
      { name: "swap-scram", port: ports["swap-scram"], domain: "destination", auth: "swap", client: "scram" },
      { name: "swap-plain", port: ports["swap-plain"], domain: "destination", auth: "swap", client: "plain" },
      // SASL_SSL in: the route's listeners speak TLS with the client TLS Secret; clients still log in with SASL.
      {
        name: "swap-plain-tls",
        port: ports["swap-plain-tls"],
        domain: "destination",
        auth: "swap",
        client: "plain",
        clientTls: true,
      },
    ]),
  );
  gateway = await startGateway({ stateDir: pair.stateDir, source: cr, status: cr, secrets });
  await gateway.operator?.idle();
  await gateway.dataPlane.waitSettled();
  expect(cr.status?.conditions?.[0]).toMatchObject({ status: "True" });
});

afterAll(async () => {
  await gateway?.stop();
  await pair?.stop();
});

function viaGateway(route: string, sasl: SASLOptions, ssl?: { ca: string[] }): Kafka {
  return new Kafka({
    clientId: "gateway-test",
    brokers: [`127.0.0.1:${ports[route]}`],
    sasl,
    ...(ssl ? { ssl } : {}),
    logLevel: logLevel.NOTHING,
  });
}

async function roundTrip(kafka: Kafka, route: string): Promise<void> {
  const topic = uid(`gw-${route}`);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const cluster = await admin.describeCluster();
    for (const b of cluster.brokers) expect(`${b.host}:${b.port}`).toBe(`127.0.0.1:${ports[route] + 1 + b.nodeId}`);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions).toHaveLength(2);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: "a" }, { value: "b" }, { value: "c" }] });
    await producer.disconnect();

    const groupId = uid("gw-group");
    const seen = await consumeValuesWith(kafka, topic, groupId, 3);
    expect(seen.sort()).toEqual(["a", "b", "c"]);

    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets[0].partitions.map((p) => Number(p.offset)).reduce((a, b) => a + b, 0)).toBe(3);
  } finally {
    await admin.disconnect();
  }
}

it("passthrough: the client's SCRAM login reaches the source and traffic flows through gateway addresses only", async () => {
  const { admin } = pair.endpoints.source;
  await roundTrip(viaGateway("passthrough", { mechanism: "scram-sha-512", ...admin }), "passthrough");
});

it("swap: SCRAM-SHA-512 in (registered verifier), PLAIN API key out to the destination", async () => {
  await roundTrip(
    viaGateway("swap-scram", { mechanism: "scram-sha-512", username: "app-user", password: clientPassword }),
    "swap-scram",
  );
});

it("swap: SCRAM-SHA-256 in against the same registration", async () => {
  const admin = viaGateway("swap-scram", {
    mechanism: "scram-sha-256",
    username: "app-user",
    password: clientPassword,
  }).admin();
  await admin.connect();
  expect((await admin.describeCluster()).brokers.length).toBeGreaterThan(0);
  await admin.disconnect();
});

it("swap: PLAIN in with the principal's API secret, PLAIN API key out to the destination", async () => {
  await roundTrip(
    viaGateway("swap-plain", {
      mechanism: "plain",
      username: "app-user",
      password: pair.endpoints.destination.apiSecret,
    }),
    "swap-plain",
  );
});

it("swap: PLAIN in over TLS (SASL_SSL) when the route names a client TLS Secret without mTLS", async () => {
  const sasl: SASLOptions = {
    mechanism: "plain",
    username: "app-user",
    password: pair.endpoints.destination.apiSecret,
  };
  await roundTrip(
    viaGateway("swap-plain-tls", sasl, { ca: [fs.readFileSync(certs.ca.cert, "utf8")] }),
    "swap-plain-tls",
  );
  // A plaintext client gets no Kafka answer from a TLS listener.
  const plaintext = new Kafka({
    brokers: [`127.0.0.1:${ports["swap-plain-tls"]}`],
    sasl,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  await expect(plaintext.connect()).rejects.toThrow();
  await plaintext.disconnect();
});

it("swap: a wrong password is refused by the gateway, and each route offers only its client mechanism", async () => {
  const attempts: [string, SASLOptions][] = [
    ["swap-plain", { mechanism: "plain", username: "app-user", password: "wrong" }],
    ["swap-plain", { mechanism: "plain", username: "app-user", password: clientPassword }],
    ["swap-scram", { mechanism: "scram-sha-512", username: "app-user", password: "wrong" }],
    [
      "swap-scram",
      { mechanism: "scram-sha-512", username: "app-user", password: pair.endpoints.destination.apiSecret },
    ],
  ];
  for (const [route, sasl] of attempts) {
    const admin = viaGateway(route, sasl).admin();
    await expect(admin.connect()).rejects.toThrow(/authentication failed/i);
    await admin.disconnect();
  }
  for (const [route, sasl] of [
    ["swap-scram", { mechanism: "plain", username: "app-user", password: pair.endpoints.destination.apiSecret }],
    ["swap-plain", { mechanism: "scram-sha-512", username: "app-user", password: clientPassword }],
  ] as [string, SASLOptions][]) {
    const admin = viaGateway(route, sasl).admin();
    await expect(admin.connect()).rejects.toThrow(/mechanism/i);
    await admin.disconnect();
  }
});
