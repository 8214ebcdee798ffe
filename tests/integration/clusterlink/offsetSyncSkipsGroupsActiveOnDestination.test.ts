/**
 * Consumer offset sync copies a group's committed offsets for mirrored topics to the destination on the
 * link's interval, and never touches a group that is active on the destination.
 */
import { eventually, uniqueName } from "../helpers";
import { client, createTopic } from "../helpers/kafka";
import { startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

async function commitOnSource(groupId: string, topic: string, offsets: Record<number, number>): Promise<void> {
  const admin = client(h.endpoints.source).admin();
  await admin.connect();
  try {
    await admin.setOffsets({ groupId, topic, partitions: Object.entries(offsets).map(([p, o]) => ({ partition: Number(p), offset: String(o) })) });
  } finally {
    await admin.disconnect();
  }
}

async function destinationOffsets(groupId: string, topic: string): Promise<Record<number, string>> {
  const admin = client(h.endpoints.destination).admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Object.fromEntries(t.partitions.map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

it("copies the committed offsets of an idle group and skips a group that is active on the destination", async () => {
  const topic = uniqueName("shipments");
  const link = uniqueName("link");
  const idle = uniqueName("billing");
  const active = uniqueName("audit");
  await createTopic(h.endpoints.source, topic, 2);
  const producer = client(h.endpoints.source).producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: 40 }, (_, i) => ({ partition: i % 2, value: `s${i}` })) });
  await producer.disconnect();
  await commitOnSource(idle, topic, { 0: 12, 1: 7 });
  await commitOnSource(active, topic, { 0: 15, 1: 15 });

  await h.rest.createLink(link, {
    configs: h.linkConfigs({
      "consumer.offset.sync.enable": "true",
      "consumer.offset.sync.ms": "500",
      "consumer.offset.group.filters": JSON.stringify({ groupFilters: [{ name: "*", patternType: "LITERAL", filterType: "INCLUDE" }] }),
    }),
  });
  await h.rest.createMirror(link, { source_topic_name: topic });
  await eventually(async () => expect((await h.rest.getMirror(link, topic)).mirror_lags.every((l) => l.lag === 0)).toBe(true));

  // The `active` group is consuming the mirror on the destination (without committing).
  const consumer = client(h.endpoints.destination).consumer({ groupId: active, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let consumed = 0;
  await consumer.run({ autoCommit: false, eachMessage: async () => void consumed++ });
  try {
    await eventually(async () => expect(consumed).toBeGreaterThan(0), { timeoutMs: 20_000 });
    const syncedAfter = Date.now();
    await eventually(async () => {
      expect(await destinationOffsets(idle, topic)).toEqual({ 0: "12", 1: "7" });
      expect(h.emulator.link(link)?.lastOffsetSyncMs ?? 0).toBeGreaterThan(syncedAfter);
    }, { timeoutMs: 20_000, what: "the idle group's offsets on the destination" });
    expect(await destinationOffsets(active, topic)).toEqual({ 0: "-1", 1: "-1" });
    const described = await h.rest.getLink(link, { includeTasks: true });
    const task = described.tasks?.find((t) => t.task_name === "ConsumerOffsetSync");
    expect(task?.errors).toEqual(expect.arrayContaining([expect.objectContaining({ error_code: "CONSUMER_GROUP_IN_USE_ERROR", error_message: expect.stringContaining(active) })]));
  } finally {
    await consumer.disconnect();
  }
  // kafkajs' setOffsets joins each group as a consumer (several seconds each), here and in the emulator.
}, 90_000);
