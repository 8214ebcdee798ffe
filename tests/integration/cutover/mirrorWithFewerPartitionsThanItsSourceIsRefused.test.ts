/**
 * A source topic that gained partitions has records its mirror cannot hold until the link adds them (Cluster
 * Linking follows a partition increase on its own, on its topic sync cadence; the emulator's link every
 * `topic.config.sync.ms`, held long here to keep that window open). The lag is read from both clusters, so
 * such a mirror counts its missing partitions in full: the preview blocks naming them, and up refuses at
 * readiness, before anything changes. Once the link has followed, the preview no longer blocks, as its
 * message says.
 */
import { Kafka, logLevel } from "kafkajs";
import { preflight } from "../../../dynamic/cutover/preflight";
import { kafkajsConfig } from "../../../local/kafka";
import { eventually } from "../helpers";
import { rest } from "../dynamic/env";
import { startProvider } from "./providerRun";
import { CutoverWorld, createWorld } from "./world";

let world: CutoverWorld;
afterAll(() => world?.cleanUp());

it("blocks the preview and refuses at readiness, naming the partitions the mirror lacks, and changes nothing; the preview passes once the link has followed", async () => {
  world = await createWorld("grown", {
    timeouts: { readinessMs: 3_000 },
    linkConfigs: { "topic.config.sync.ms": "3600000" },
  });
  const [topic] = world.topics;
  const admin = new Kafka({ ...kafkajsConfig(world.endpoints.source), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  let partitions: number;
  try {
    partitions = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length;
    await admin.createPartitions({ topicPartitions: [{ topic, count: partitions + 1 }] });
    const producer = new Kafka({ ...kafkajsConfig(world.endpoints.source), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ partition: partitions, value: "in the new partition" }] });
    await producer.disconnect();
  } finally {
    await admin.disconnect();
  }
  const lacking = `${topic}=1 (the mirror lacks partition ${partitions} of ${partitions + 1})`;

  const { blockers } = await preflight(world.inputs());
  expect(blockers.filter((b) => b.property === "topics").map((b) => b.reason)).toEqual([
    expect.stringContaining(`mirrors with fewer partitions than their source topics: ${lacking};`),
  ]);

  const outcome = await startProvider(world.inputs()).done;
  expect(outcome.ok).toBe(false);
  expect(outcome.error).toContain(`readiness: lag did not fall to 100 within 3000 ms: ${lacking}`);
  expect(await world.appliedRoute()).toMatchObject({ domain: "msk", fenced: false });
  expect((await world.mirrors()).map((m) => m.mirror_status)).toEqual(["ACTIVE", "ACTIVE"]);

  await rest(world.endpoints).setLinkConfig(world.name, "topic.config.sync.ms", "1000");
  await eventually(
    async () => {
      const mirror = (await world.mirrors()).find((m) => m.mirror_topic_name === topic);
      expect(mirror?.num_partitions).toBe(partitions + 1);
      expect((await preflight(world.inputs())).blockers.filter((b) => b.property === "topics")).toEqual([]);
    },
    { timeoutMs: 30_000, what: "the link following the partition increase" },
  );
}, 120_000);
