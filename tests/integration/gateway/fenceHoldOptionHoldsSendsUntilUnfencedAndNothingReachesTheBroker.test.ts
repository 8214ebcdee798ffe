/**
 * While a route is fenced, a kafkajs producer's sends neither succeed nor fail (the gateway holds them), no
 * record reaches the broker, and removing the fence lets the same sends complete.
 */
import { Kafka, logLevel } from "kafkajs";
import { InMemoryGateway, InMemorySecrets, startGateway, type RunningGateway } from "../../../local/gateway";
import { gatewaySpec } from "./helpers/cr";
import { freePortBlock, kafkaPair, sourceEndOffset, type PairHandle } from "./helpers/env";

let pair: PairHandle;
let gateway: RunningGateway;
const cr = new InMemoryGateway("gw");
let port: number;

beforeAll(async () => {
  pair = await kafkaPair();
  port = await freePortBlock(3);
  cr.apply(gatewaySpec(pair.endpoints, [{ name: "app", port, domain: "source" }]));
  gateway = await startGateway({
    stateDir: pair.stateDir,
    source: cr,
    status: cr,
    secrets: new InMemorySecrets(),
    // The fence-holding option, kinder than the real Gateway (which answers at once): held sends complete on unfence.
    behaviour: { fence: { mode: "hold-then-answer", holdMs: 20_000 } },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await pair?.stop();
});

const endOffset = (topic: string): Promise<number> => sourceEndOffset(pair, topic);

it("holds produce while fenced and completes it after unfence", async () => {
  const topic = `fence-${Date.now().toString(36)}`;
  const { admin: creds } = pair.endpoints.source;
  const kafka = new Kafka({
    brokers: [`127.0.0.1:${port}`],
    sasl: { mechanism: "scram-sha-512", ...creds },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value: "before" }] });
    expect(await endOffset(topic)).toBe(1);

    cr.apply(gatewaySpec(pair.endpoints, [{ name: "app", port, domain: "source", fenced: true }], "fence-1"));
    await gateway.operator?.idle();
    await gateway.dataPlane.waitSettled();
    expect(cr.status?.observedGeneration).toBe(cr.current()?.metadata.generation);
    expect(gateway.dataPlane.snapshot().pods.map((p) => p.configId)).toEqual(["fence-1", "fence-1", "fence-1"]);

    let outcome: "pending" | "ok" | "failed" = "pending";
    const sending = producer.send({ topic, messages: [{ value: "during" }] }).then(
      () => void (outcome = "ok"),
      () => void (outcome = "failed"),
    );
    // A new connection (the client's reconnect path) gets ApiVersions and SASL, then waits too.
    const late = new Kafka({
      brokers: [`127.0.0.1:${port}`],
      sasl: { mechanism: "scram-sha-512", ...creds },
      logLevel: logLevel.NOTHING,
    }).producer();
    await late.connect();
    let lateOutcome = "pending";
    const lateSend = late.send({ topic, messages: [{ value: "late" }] }).then(
      () => void (lateOutcome = "ok"),
      () => void (lateOutcome = "failed"),
    );

    await new Promise((r) => setTimeout(r, 3_000));
    expect(outcome).toBe("pending");
    expect(lateOutcome).toBe("pending");
    expect(await endOffset(topic)).toBe(1);

    cr.apply(gatewaySpec(pair.endpoints, [{ name: "app", port, domain: "source" }], "unfence-1"));
    await gateway.operator?.idle();
    await gateway.dataPlane.waitSettled();
    await Promise.all([sending, lateSend]);
    expect(outcome).toBe("ok");
    expect(lateOutcome).toBe("ok");
    expect(await endOffset(topic)).toBe(3);
    await late.disconnect();
  } finally {
    await producer.disconnect();
  }
});
