/**
 * The preflight's consumer-group checks on a fake source: which groups count as reading the group's topics
 * without being listed (blocked), which could not be read (a note), and how a principal refused a listed
 * group's offsets is reported (blocked, naming the principal, the cluster, the group and the ACL).
 */
import type { GroupOverview } from "kafkajs";
import {
  GroupScanner,
  groupAccessBlockers,
  groupsWithOffsetsOn,
  unlistedGroupsBlocker,
  unreadableGroupsNote,
} from "../../../dynamic/cutover/consumerGroupChecks";
import type { KafkaAccess } from "../../../dynamic/cutover/inputs";

const SOURCE: KafkaAccess = {
  bootstrap: "b-1.msk.example:9096",
  securityProtocol: "SASL_SSL",
  mechanism: "SCRAM-SHA-512",
  username: "cutover-link",
  password: "p",
};

/** A kafkajs error as it reaches the preflight: its name, and the Kafka error type when kafkajs kept it. */
function kafkajsError(name: string, message: string, type?: string): Error {
  return Object.assign(new Error(message), { name, ...(type ? { type } : {}) });
}

/** Committed offsets by group, topic and partition (absent: never committed); a group id mapped to an Error fails. */
function fakeCluster(groups: Record<string, Record<string, Record<number, number>> | Error>): GroupScanner {
  const admin = {
    listGroups: async () => ({
      groups: Object.keys(groups).map((groupId): GroupOverview => ({ groupId, protocolType: "consumer" })),
    }),
    fetchOffsets: async ({ groupId, topics }: { groupId: string; topics?: string[] }) => {
      const g = groups[groupId];
      if (g instanceof Error) throw g;
      return (topics ?? Object.keys(g ?? {})).map((topic) => ({
        topic,
        partitions: [0, 1].map((partition) => ({
          partition,
          offset: String(g?.[topic]?.[partition] ?? -1),
          metadata: null,
        })),
      }));
    },
  };
  return admin as unknown as GroupScanner;
}

describe("the preflight on consumer groups the config does not list", () => {
  it("findsEveryUnlistedGroupWithCommittedOffsetsOnTheGroupsTopicsAndNoOther", async () => {
    const source = fakeCluster({
      billing: { orders: { 0: 5 } }, // listed
      "audit-replay": { orders: { 1: 7 }, refunds: { 0: 2 } },
      "legacy-etl": { refunds: { 0: 1 } },
      "other-team": { invoices: { 0: 9 } }, // reads no topic of the group
      "new-app": {}, // joined, never committed
    });
    const found = await groupsWithOffsetsOn(source, ["orders", "refunds"], ["billing"]);
    expect(found).toEqual({
      readers: [
        { groupId: "audit-replay", topics: ["orders", "refunds"] },
        { groupId: "legacy-etl", topics: ["refunds"] },
      ],
      unreadable: [],
    });
    const blocker = unlistedGroupsBlocker("orders", found.readers, SOURCE);
    expect(blocker).toMatch(
      /^consumer groups audit-replay \(on orders, refunds\), legacy-etl \(on refunds\) have committed offsets on group orders's source topics but are not in its consumerGroups: the link syncs only the listed groups' offsets, so after the switch their consumers would restart on the destination from auto\.offset\.reset, skipping or re-reading records\. Fix: add each to the consumerGroups of group orders in kafka-cutover:groups /,
    );
    expect(blocker).toContain(
      "kafka-consumer-groups.sh --bootstrap-server b-1.msk.example:9096 --delete-offsets --group audit-replay --topic orders --topic refunds",
    );
  });

  it("blocksNothingWhenEveryGroupReadingTheTopicsIsListed", async () => {
    const source = fakeCluster({ billing: { orders: { 0: 5 } }, "other-team": { invoices: { 0: 9 } } });
    const found = await groupsWithOffsetsOn(source, ["orders", "refunds"], ["billing"]);
    expect(unlistedGroupsBlocker("orders", found.readers, SOURCE)).toBeUndefined();
    expect(unreadableGroupsNote("orders", found.unreadable, SOURCE)).toEqual([]);
  });

  it("namesAGroupWhoseOffsetsItCouldNotReadInANoteSayingWhatToGrant", async () => {
    const source = fakeCluster({
      secret: kafkajsError("KafkaJSGroupCoordinatorNotFound", "Failed to find group coordinator"),
    });
    const found = await groupsWithOffsetsOn(source, ["orders"], []);
    expect(found.readers).toEqual([]);
    expect(unreadableGroupsNote("orders", found.unreadable, SOURCE)).toEqual([
      `could not read the committed offsets of consumer group secret (kafkajs: "Failed to find group coordinator", how it reports a FindCoordinator refused with GROUP_AUTHORIZATION_FAILED) on the source as cutover-link, so the preflight cannot tell whether they read group orders's topics; if one does and is not in its consumerGroups, it restarts on the destination from auto.offset.reset: grant cutover-link DESCRIBE on those consumer groups so the preflight can check`,
    ]);
  });
});

describe("the preflight on the offsets the cutover reads", () => {
  it("blocksOnAListedGroupThePrincipalMayNotDescribeNamingTheAclToAddOnEachCluster", async () => {
    const refused = kafkajsError("KafkaJSGroupCoordinatorNotFound", "Failed to find group coordinator");
    const cluster = fakeCluster({ billing: refused, audit: { orders: { 0: 1 } } });
    expect(await groupAccessBlockers(cluster, "source", SOURCE, ["billing", "audit"])).toEqual([
      `cutover-link may not describe consumer group billing on the source (b-1.msk.example:9096) (kafkajs: "Failed to find group coordinator", how it reports a FindCoordinator refused with GROUP_AUTHORIZATION_FAILED): the cutover reads its committed offsets there while the group's clients are fenced, so it would hold them and roll back. Allow it: kafka-acls.sh --bootstrap-server b-1.msk.example:9096 --add --allow-principal User:cutover-link --operation Describe --group billing`,
    ]);
    const key = { ...SOURCE, bootstrap: "pkc-1.aws.confluent.cloud:9092", username: "ABCKEY" };
    const protocol = kafkajsError(
      "KafkaJSProtocolError",
      "Not authorized to access group: Group authorization failed",
      "GROUP_AUTHORIZATION_FAILED",
    );
    expect(await groupAccessBlockers(fakeCluster({ billing: protocol }), "destination", key, ["billing"])).toEqual([
      `ABCKEY may not describe consumer group billing on the destination (pkc-1.aws.confluent.cloud:9092) (GROUP_AUTHORIZATION_FAILED: Not authorized to access group: Group authorization failed): the cutover reads its committed offsets there while the group's clients are fenced, so it would hold them and roll back. Allow it: confluent kafka acl create --allow --service-account <owner of API key ABCKEY> --operations describe --consumer-group billing`,
    ]);
  });

  it("blocksOnAnyOtherFailureToReadAListedGroupsOffsetsSayingWhatItWas", async () => {
    const down = kafkajsError("KafkaJSConnectionError", "Connection timeout");
    expect(await groupAccessBlockers(fakeCluster({ billing: down }), "source", SOURCE, ["billing"])).toEqual([
      `reading the committed offsets of consumer group billing on the source (b-1.msk.example:9096) as cutover-link failed (Connection timeout): the cutover reads its committed offsets there while the group's clients are fenced, so it would hold them and roll back`,
    ]);
  });
});
