/**
 * A source topic that gains partitions: Cluster Linking adds them to its ACTIVE mirror on its own and copies
 * them like the others. The emulator's link looks every `topic.config.sync.ms`; the mirror then has the
 * source's partitions, every record at the same partition and offset as on the source (none missing, none
 * twice), and copying goes on in all of them. A paused mirror follows once resumed; a promoted one never.
 */
import { eventually, uniqueName } from "../helpers";
import { client, createTopic } from "../helpers/kafka";
import { startHarness, type Harness } from "./harness";
import { EPOCH, readAll } from "./records";

const SYNC_MS = 1_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

/** `n` records into one partition of the source; a new producer each time, so it knows every partition. */
async function produce(topic: string, partition: number, from: number, n: number): Promise<void> {
  const producer = client(h.endpoints.source).producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: Array.from({ length: n }, (_, i) => ({
        partition,
        key: `k${from + i}`,
        value: `p${partition}-v${from + i}`,
        headers: { seq: String(from + i) },
        timestamp: String(EPOCH + from + i),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

async function growSource(topic: string, count: number): Promise<void> {
  const admin = client(h.endpoints.source).admin();
  await admin.connect();
  try {
    await admin.createPartitions({ topicPartitions: [{ topic, count }] });
  } finally {
    await admin.disconnect();
  }
}

async function destinationPartitions(topic: string): Promise<number> {
  const admin = client(h.endpoints.destination).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length;
  } finally {
    await admin.disconnect();
  }
}

async function expectMirrored(link: string, topic: string, partitions: number, records: number): Promise<void> {
  await eventually(
    async () => {
      const mirror = await h.rest.getMirror(link, topic);
      expect(mirror.mirror_status).toBe("ACTIVE");
      expect(mirror.num_partitions).toBe(partitions);
      expect(mirror.mirror_lags.map((l) => l.lag)).toEqual(Array.from({ length: partitions }, () => 0));
    },
    { timeoutMs: 30_000, what: `${partitions} partitions, lag 0 on each` },
  );
  expect(await destinationPartitions(topic)).toBe(partitions);
  const [source, mirror] = await Promise.all([
    readAll(h.endpoints.source, topic, records),
    readAll(h.endpoints.destination, topic, records),
  ]);
  expect(mirror).toHaveLength(records);
  expect(mirror).toEqual(source);
}

/** Several sync intervals without a change: the link had every chance to follow. */
async function expectStaysAt(link: string, topic: string, partitions: number, status: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 4 * SYNC_MS));
  const mirror = await h.rest.getMirror(link, topic);
  expect(mirror.mirror_status).toBe(status);
  expect(mirror.num_partitions).toBe(partitions);
  expect(mirror.mirror_lags).toHaveLength(partitions);
  expect(await destinationPartitions(topic)).toBe(partitions);
}

it("an ACTIVE mirror gains the partitions its source gained and copies them at the same offsets; once promoted it gains no more", async () => {
  const topic = uniqueName("orders");
  const link = uniqueName("link");
  await createTopic(h.endpoints.source, topic, 1);
  await produce(topic, 0, 0, 50);
  await h.rest.createLink(link, { configs: h.linkConfigs({ "topic.config.sync.ms": String(SYNC_MS) }) });
  await h.rest.createMirror(link, { source_topic_name: topic });
  await expectMirrored(link, topic, 1, 50);

  const grownAt = Date.now();
  await growSource(topic, 3);
  await produce(topic, 1, 0, 30);
  await produce(topic, 2, 0, 20);
  await produce(topic, 0, 50, 10);
  await expectMirrored(link, topic, 3, 110);
  // Bounded: a few sync intervals plus the replicator's new consumer joining its group.
  expect(Date.now() - grownAt).toBeLessThan(20_000);

  // Copying goes on in every partition after the replicator took the new ones on.
  for (const p of [0, 1, 2]) await produce(topic, p, 1_000, 10);
  await expectMirrored(link, topic, 3, 140);

  const [promoted] = await h.rest.promoteMirrors(link, { mirror_topic_names: [topic] });
  expect(promoted.error_code).toBeNull();
  await eventually(async () => expect((await h.rest.getMirror(link, topic)).mirror_status).toBe("STOPPED"), {
    timeoutMs: 20_000,
  });
  await growSource(topic, 5);
  await produce(topic, 4, 0, 5);
  await expectStaysAt(link, topic, 3, "STOPPED");
  await h.rest.deleteLink(link);
}, 120_000);

it("a PAUSED mirror keeps its partition count and reports lag only for the partitions it has; resumed, it follows", async () => {
  const topic = uniqueName("payments");
  const link = uniqueName("link");
  await createTopic(h.endpoints.source, topic, 2);
  await produce(topic, 0, 0, 10);
  await produce(topic, 1, 0, 10);
  await h.rest.createLink(link, { configs: h.linkConfigs({ "topic.config.sync.ms": String(SYNC_MS) }) });
  await h.rest.createMirror(link, { source_topic_name: topic });
  await expectMirrored(link, topic, 2, 20);

  await h.rest.pauseMirrors(link, { mirror_topic_names: [topic] });
  await growSource(topic, 3);
  await produce(topic, 2, 0, 15);
  await expectStaysAt(link, topic, 2, "PAUSED");

  await h.rest.resumeMirrors(link, { mirror_topic_names: [topic] });
  await expectMirrored(link, topic, 3, 35);
  await h.rest.failoverMirrors(link, { mirror_topic_names: [topic] });
  await h.rest.deleteLink(link);
}, 120_000);
