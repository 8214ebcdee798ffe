/**
 * kafkajs produces and consumes through a passthrough route (its own SCRAM login relayed to the source) and
 * through swap routes (SCRAM or PLAIN to the gateway, the gateway's PLAIN API key to the destination), and
 * every broker or coordinator address it is given is a gateway address.
 */
import { Kafka, logLevel, type SASLOptions } from "kafkajs";
import { parseHostPort, SecretStore, startGateway, type RouteConfig, type RunningGateway } from "../../../local/gateway";
import { freePortBlock, kafkaPair, type PairHandle } from "./helpers/env";

const uid = (p: string): string => `${p}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

let pair: PairHandle;
let gateway: RunningGateway;
const ports: Record<string, number> = {};
const clientPassword = "gateway-client-secret";

beforeAll(async () => {
  pair = await kafkaPair();
  const { source, destination } = pair.endpoints;
  const secrets = new SecretStore({
    metadata: { name: "swap-credentials" },
    stringData: { "app-user": JSON.stringify({ password: clientPassword, apiKey: destination.apiKey, apiSecret: destination.apiSecret }) },
  });
  for (const name of ["passthrough", "swap"]) ports[name] = await freePortBlock(3);
  const routes: RouteConfig[] = [
    {
      name: "passthrough",
      endpoint: { host: "127.0.0.1", port: ports.passthrough },
      nodeIdRanges: [{ start: 0, end: 1 }],
      target: { domain: "source", bootstrap: parseHostPort(source.bootstrap) },
      auth: { mode: "passthrough" },
    },
    {
      name: "swap",
      endpoint: { host: "127.0.0.1", port: ports.swap },
      nodeIdRanges: [{ start: 0, end: 1 }],
      target: { domain: "destination", bootstrap: parseHostPort(destination.bootstrap) },
      auth: { mode: "swap", mechanisms: ["SCRAM-SHA-512", "PLAIN"], credentials: (p) => secrets.get(p) },
    },
  ];
  gateway = await startGateway({ stateDir: pair.stateDir, routes });
});

afterAll(async () => {
  await gateway?.stop();
  await pair?.stop();
});

function viaGateway(route: string, sasl: SASLOptions): Kafka {
  return new Kafka({ clientId: "gateway-test", brokers: [`127.0.0.1:${ports[route]}`], sasl, logLevel: logLevel.NOTHING });
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
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? "") });
    const deadline = Date.now() + 20_000;
    while (seen.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();
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

it("swap: SCRAM-SHA-512 in, PLAIN API key out to the destination", async () => {
  await roundTrip(viaGateway("swap", { mechanism: "scram-sha-512", username: "app-user", password: clientPassword }), "swap");
});

it("swap: PLAIN in, PLAIN API key out to the destination", async () => {
  await roundTrip(viaGateway("swap", { mechanism: "plain", username: "app-user", password: clientPassword }), "swap");
});

it("swap: a wrong password is refused by the gateway", async () => {
  for (const mechanism of ["plain", "scram-sha-512"] as const) {
    const admin = viaGateway("swap", { mechanism, username: "app-user", password: "wrong" } as SASLOptions).admin();
    await expect(admin.connect()).rejects.toThrow(/authentication failed/i);
    await admin.disconnect();
  }
});
