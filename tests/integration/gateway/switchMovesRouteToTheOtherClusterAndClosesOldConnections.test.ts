/**
 * Pointing a route at the other streaming domain closes every open connection on it, the producer's next
 * sends land on the new cluster, and nothing lands on the old cluster after the switch (KCP's switchover:
 * passthrough SCRAM to the source, then SCRAM to the gateway swapped for the destination's API key).
 */
import * as net from "node:net";
import { Kafka, logLevel } from "kafkajs";
import { InMemoryGateway, InMemorySecrets, startGateway, type RunningGateway } from "../../../local/gateway";
import { kafkajsConfig, type DestinationEndpoints, type SourceEndpoints } from "../../../local/kafka";
import { gatewaySpec, registeredScramUsers, swapSecrets } from "./helpers/cr";
import { freePortBlock, kafkaPair, type PairHandle } from "./helpers/env";

let pair: PairHandle;
let gateway: RunningGateway;
const cr = new InMemoryGateway("gw");
let port: number;

beforeAll(async () => {
  pair = await kafkaPair();
  port = await freePortBlock(3);
  const { source, destination } = pair.endpoints;
  const secrets = new InMemorySecrets();
  // The source user's SCRAM credential was registered with the gateway before the cutover (same password).
  for (const s of swapSecrets({
    [source.admin.username]: { apiKey: destination.apiKey, apiSecret: destination.apiSecret },
  }))
    secrets.put(s);
  secrets.put(registeredScramUsers({ [source.admin.username]: source.admin.password }));
  cr.apply(gatewaySpec(pair.endpoints, [{ name: "app", port, domain: "source" }]));
  gateway = await startGateway({ stateDir: pair.stateDir, source: cr, status: cr, secrets });
});

afterAll(async () => {
  await gateway?.stop();
  await pair?.stop();
});

async function withAdmin<T>(
  endpoint: SourceEndpoints | DestinationEndpoints,
  fn: (admin: ReturnType<Kafka["admin"]>) => Promise<T>,
): Promise<T> {
  const admin = new Kafka(kafkajsConfig(endpoint)).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

const endOffset = (endpoint: SourceEndpoints | DestinationEndpoints, topic: string): Promise<number> =>
  withAdmin(endpoint, async (a) => (await a.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0));

it("switches atomically: old connections closed, new sends on the destination only", async () => {
  const { source, destination } = pair.endpoints;
  const topic = `switch-${Date.now().toString(36)}`;
  for (const endpoint of [source, destination]) {
    await withAdmin(endpoint, (a) => a.createTopics({ topics: [{ topic }], waitForLeaders: true }));
  }
  const producer = new Kafka({
    brokers: [`127.0.0.1:${port}`],
    sasl: { mechanism: "scram-sha-512", ...source.admin },
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value: "before" }] });
    expect(await endOffset(source, topic)).toBe(1);

    const idle = net.connect(port, "127.0.0.1");
    await new Promise((r) => idle.once("connect", r));
    const closed = new Promise<void>((r) => idle.once("close", () => r()));
    idle.on("error", () => undefined);
    expect(gateway.dataPlane.openConnections("app")).toBeGreaterThan(1);

    cr.apply(gatewaySpec(pair.endpoints, [{ name: "app", port, domain: "destination", auth: "swap" }], "switch-1"));
    await gateway.operator?.idle();
    await gateway.dataPlane.waitSettled();
    expect(cr.status?.conditions?.[0]).toMatchObject({ type: "platform.confluent.io/cluster-ready", status: "True" });
    expect(gateway.dataPlane.desiredRoute("app")?.target.domain).toBe("destination");
    await closed;

    for (let i = 0; i < 3; i++) await producer.send({ topic, messages: [{ value: `after-${i}` }] });
    expect(await endOffset(destination, topic)).toBe(3);
    expect(await endOffset(source, topic)).toBe(1);
  } finally {
    await producer.disconnect();
  }
});
