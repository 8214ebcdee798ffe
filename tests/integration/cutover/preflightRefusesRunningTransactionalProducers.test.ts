/**
 * A transaction cannot cross a cutover (an open one would stay open on the promoted topic, its markers would
 * move the source after the fence), so the preview refuses while a transactional producer writes the group's
 * source topics, naming the partition and the producer, before anything changes. Idempotent producers, which
 * every modern client is by default, are not transactional and do not block.
 */
import { Kafka, logLevel, type Producer } from "kafkajs";
import { preflight } from "../../../dynamic/cutover/preflight";
import { kafkajsConfig } from "../../../local/kafka";
import { uniqueName } from "../helpers";
import { CutoverWorld, createWorld } from "./world";

const worlds: CutoverWorld[] = [];
afterAll(async () => {
  for (const w of worlds) await w.cleanUp();
});

function sourceProducer(world: CutoverWorld, opts: { transactionalId?: string }): Producer {
  const kafka = new Kafka({ ...kafkajsConfig(world.endpoints.source), logLevel: logLevel.NOTHING });
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, ...opts });
}

const transactional = (reasons: string[]) => reasons.filter((r) => /transactional producers/.test(r));

it("a transactional producer writing the group's topic, with a transaction open, blocks the preview naming the partition, the producer and the open transaction", async () => {
  const world = await createWorld("txn");
  worlds.push(world);
  const [topic] = world.topics;
  const producer = sourceProducer(world, { transactionalId: uniqueName("txn-app") });
  await producer.connect();
  try {
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ key: "k", value: "committed" }] });
    await committed.commit();
    const open = await producer.transaction();
    await open.send({ topic, messages: [{ key: "k", value: "open" }] });
    try {
      const { blockers } = await preflight(world.inputs());
      const reasons = transactional(blockers.filter((b) => b.property === "topics").map((b) => b.reason));
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(
        new RegExp(
          `^group ${world.name}'s source topics have transactional producers writing now: ${topic}\\[\\d+\\]: producer \\d+ \\(epoch \\d+, last write [^,]+, transaction open since offset \\d+\\)`,
        ),
      );
      expect(reasons[0]).toMatch(/Fix: stop the transactional applications/);
    } finally {
      await open.abort();
    }
  } finally {
    await producer.disconnect();
  }
}, 120_000);

it("idempotent producers are not transactional: nothing about transactions blocks", async () => {
  const world = await createWorld("idem");
  worlds.push(world);
  const producer = sourceProducer(world, {});
  await producer.connect();
  try {
    await producer.send({ topic: world.topics[0], messages: [{ key: "k", value: "idempotent" }] });
  } finally {
    await producer.disconnect();
  }
  const { blockers, notes } = await preflight(world.inputs());
  expect(transactional(blockers.map((b) => b.reason))).toEqual([]);
  expect(notes.filter((n) => /transactional producers not checked|could not ask the source/.test(n))).toEqual([]);
}, 120_000);
