/**
 * On the real clusters, the preflight refuses what would make consumers lose their place at the switch,
 * before anything changes:
 * - a consumer group the config does not list, with committed offsets on the group's source topics (a real
 *   kafkajs consumer committed them): its offsets would not be synced, so it would restart from
 *   auto.offset.reset;
 * - a principal the cutover reads offsets as that may not describe a listed consumer group, on either cluster:
 *   the cutover would find out only with the clients fenced.
 */
import { AclOperationTypes, AclResourceTypes, Kafka } from "kafkajs";
import type { KafkaAccess } from "../../../dynamic/cutover";
import { preflight, type Blocker } from "../../../dynamic/cutover/preflight";
import { createApiKey, createScramUser, kafkajsConfig } from "../../../local/kafka";
import { allowAll } from "../../../local/principals";
import { endpointsPath } from "../helpers";
import { CutoverWorld, createWorld } from "./world";

/** Writes `count` records to `topic` on the source, then a kafkajs consumer in `groupId` reads and commits them. */
async function commitOffsetsOnSource(world: CutoverWorld, topic: string, groupId: string, count = 20): Promise<void> {
  const kafka = new Kafka(kafkajsConfig(world.endpoints.source));
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ value: `r${i}` })) });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${groupId} consumed ${seen} of ${count} in 30 s`)), 30_000);
    void consumer
      .run({
        eachMessage: async () => {
          if (++seen === count) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect(); // commits what it consumed
  const admin = kafka.admin();
  await admin.connect();
  const committed = (await admin.fetchOffsets({ groupId, topics: [topic] })).flatMap((t) => t.partitions);
  await admin.disconnect();
  expect(committed.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0)).toBe(count);
}

const stateDir = process.env.KAFKA_CUTOVER_STATE ?? endpointsPath().replace(/\/endpoints\.json$/, "");

const reasons = (blockers: Blocker[], property: string) =>
  blockers.filter((b) => b.property === property).map((b) => b.reason);

describe("the preflight on consumer groups", () => {
  let world: CutoverWorld;
  beforeAll(async () => {
    world = await createWorld("groups");
    await commitOffsetsOnSource(world, world.topics[0], world.consumerGroup);
  }, 120_000);
  afterAll(async () => {
    await world?.cleanUp();
  });

  it("blocksOnAConsumerGroupWithOffsetsOnTheSourceTopicsThatConsumerGroupsDoesNotList", async () => {
    const reporting = `${world.name}-reporting`;
    await commitOffsetsOnSource(world, world.topics[1], reporting);
    const unlisted = (r: string) => /not in its consumerGroups/.test(r);

    const blocked = reasons((await preflight(world.inputs())).blockers, "consumerGroups").filter(unlisted);
    expect(blocked).toEqual([
      `consumer group ${reporting} (on ${world.topics[1]}) has committed offsets on group ${world.name}'s source topics but is not in its consumerGroups: the link syncs only the listed groups' offsets, so after the switch its consumers would restart on the destination from auto.offset.reset, skipping or re-reading records. Fix: add it to the consumerGroups of group ${world.name} in kafka-cutover:groups (pulumi config set --path 'kafka-cutover:groups[<index of ${world.name}>].consumerGroups[<next>]' ${reporting}) and run pulumi up with cutover: false, so the link syncs its offsets, before cutting over (a consumer group listed under another migration group reads both groups' topics: put those topics in one group); or, for a consumer group that is abandoned, delete its offsets on the source with its consumers stopped (kafka-consumer-groups.sh --bootstrap-server ${world.endpoints.source.bootstrap} --delete-offsets --group ${reporting} --topic ${world.topics[1]})`,
    ]);

    // Listed, it no longer blocks as unlisted (the link's group filter, not updated here, is another blocker).
    const listed = await preflight({ ...world.inputs(), consumerGroups: [world.consumerGroup, reporting] });
    expect(reasons(listed.blockers, "consumerGroups").filter(unlisted)).toEqual([]);
  }, 120_000);

  it.each(["source", "destination"] as const)(
    "blocksWhenThePrincipalThatReadsOffsetsOnThe%sMayNotDescribeAListedConsumerGroup",
    async (side) => {
      const { TOPIC, GROUP, CLUSTER } = AclResourceTypes;
      const { DESCRIBE } = AclOperationTypes;
      const e = world.endpoints;
      let access: KafkaAccess;
      if (side === "source") {
        const user = await createScramUser(`${world.name}-reader`, undefined, { stateDir });
        access = { ...world.inputs().source, username: user.username, password: user.password };
      } else {
        const key = await createApiKey({ stateDir });
        access = { ...world.inputs().destination, username: key.key, password: key.secret };
      }
      const principal = `User:${access.username}`;
      // Everything the preflight reads on that cluster but the group.
      await allowAll(e, side, principal, [
        [CLUSTER, "kafka-cluster", DESCRIBE],
        ...world.topics.map((t): [AclResourceTypes, string, AclOperationTypes] => [TOPIC, t, DESCRIBE]),
      ]);
      const inputs = { ...world.inputs(), [side]: access };

      const refused = reasons((await preflight(inputs)).blockers, side).filter((r) => /may not describe/.test(r));
      const bootstrap = side === "source" ? e.source.bootstrap : e.destination.bootstrap;
      const acl =
        side === "source"
          ? `kafka-acls.sh --bootstrap-server ${bootstrap} --add --allow-principal User:${access.username} --operation Describe --group ${world.consumerGroup}`
          : `confluent kafka acl create --allow --service-account <owner of API key ${access.username}> --operations describe --consumer-group ${world.consumerGroup}`;
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatch(
        new RegExp(
          `^${access.username} may not describe consumer group ${world.consumerGroup} on the ${side} \\(${bootstrap}\\) \\(.+\\): the cutover reads its committed offsets there while the group's clients are fenced, so it would hold them and roll back\\. Allow it: `,
        ),
      );
      expect(refused[0].endsWith(acl)).toBe(true);

      // The ACL the message names is enough.
      await allowAll(e, side, principal, [[GROUP, world.consumerGroup, DESCRIBE]]);
      expect(reasons((await preflight(inputs)).blockers, side)).toEqual([]);
    },
    120_000,
  );
});
