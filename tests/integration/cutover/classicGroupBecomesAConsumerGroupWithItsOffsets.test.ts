/**
 * What the cutover does for KIP-848 consumer groups between promotion and the switch, on a real Kafka 4.1.1
 * broker: a destination group that the offset sync made classic (committed offsets, no member) becomes a
 * consumer group, with its committed offsets untouched and no member left behind, so that the group's
 * consumers, arriving with their source member epoch, are only told to rejoin rather than that the group does
 * not exist. And a group that cannot be converted is reported, not thrown.
 */
import { Kafka, logLevel } from "kafkajs";
import { convertToConsumerGroups } from "../../../dynamic/cutover/consumerGroupConversion";
import { groupTypes } from "../../../dynamic/cutover/groupProtocols";
import { kafkajsConfig } from "../../../local/kafka";
import { StandaloneOffsetCommitter } from "../../../local/clusterlink/offsetCommit";
import { loadEndpoints, uniqueName } from "../helpers";
import { createTopic } from "../helpers/kafka";

const destination = () => loadEndpoints().destination;

async function withAdmin<T>(fn: (admin: ReturnType<Kafka["admin"]>) => Promise<T>): Promise<T> {
  const admin = new Kafka({ ...kafkajsConfig(destination()), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** A group as the offset sync leaves it on the destination: committed offsets, standalone, no member. */
async function offsetsOnlyGroup(topic: string, group: string): Promise<void> {
  const committer = new StandaloneOffsetCommitter(
    new Kafka({ ...kafkajsConfig(destination()), logLevel: logLevel.NOTHING }),
  );
  await committer.connect();
  try {
    await committer.commit(group, [
      {
        topic,
        partitions: [
          { partition: 0, offset: "7" },
          { partition: 1, offset: "3" },
        ],
      },
    ]);
  } finally {
    await committer.disconnect();
  }
}

it("a classic group made of committed offsets becomes a consumer group, its offsets kept and no member left in it", async () => {
  const topic = uniqueName("kip848-conv");
  const group = uniqueName("kip848-conv-group");
  await createTopic(destination(), topic, 2);
  await offsetsOnlyGroup(topic, group);
  expect((await withAdmin((a) => groupTypes(a, [group]))).get(group)).toBe("classic");

  const kafka = new Kafka({ ...kafkajsConfig(destination()), logLevel: logLevel.NOTHING });
  const result = await convertToConsumerGroups(kafka, [group], Date.now() + 10_000);
  expect(result).toEqual([{ groupId: group, outcome: "converted" }]);

  await withAdmin(async (admin) => {
    expect((await groupTypes(admin, [group])).get(group)).toBe("consumer");
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    expect(offsets[0].partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
      [0, "7"],
      [1, "3"],
    ]);
  });
  // Empty again: a standalone commit, which a group with any member refuses, is accepted.
  await expect(offsetsOnlyGroup(topic, group)).resolves.toBeUndefined();
});

it("a group the cluster refuses to convert is reported with the broker's error, not thrown", async () => {
  // An empty group id is invalid for every group API: the broker answers the join with an error.
  const kafka = new Kafka({ ...kafkajsConfig(destination()), logLevel: logLevel.NOTHING });
  const [result] = await convertToConsumerGroups(kafka, [""], Date.now() + 5_000);
  expect(result).toEqual({ groupId: "", outcome: "refused", error: "INVALID_REQUEST: GroupId can't be empty." });
});
