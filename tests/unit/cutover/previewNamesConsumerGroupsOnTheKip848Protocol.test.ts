/**
 * The preview names the consumer groups on the KIP-848 consumer protocol, whose consumers die at the switch,
 * from what kafkajs's ListGroups and DescribeGroups answer. The fake answers as Kafka 4.1.1 did for each kind of
 * group (recorded with the Java workload, kafka-clients 4.1.1): a KIP-848 group is listed as "consumer" and
 * described as Dead with no protocol type, live or empty; a classic group is described in a live state.
 */
import type { GroupDescription, GroupOverview } from "kafkajs";
import { GroupLister, groupProtocolNotes, groupTypes } from "../../../dynamic/cutover/groupProtocols";

type Kind = "kip848" | "classic-live" | "classic-empty" | "offsets-only" | "connect";

function fakeSource(groups: Record<string, Kind>): GroupLister & { described: string[][] } {
  const listed: Record<Kind, string> = {
    kip848: "consumer",
    "classic-live": "consumer",
    "classic-empty": "consumer",
    "offsets-only": "",
    connect: "connect",
  };
  const describe = (groupId: string, kind: Kind | undefined): GroupDescription => {
    const d = { groupId, errorCode: 0, members: [], protocol: "" };
    switch (kind) {
      case undefined: // not a group at all: the broker answers like for a KIP-848 group
      case "kip848":
        return { ...d, state: "Dead", protocolType: "" };
      case "classic-live":
        return { ...d, state: "Stable", protocolType: "consumer", protocol: "range" };
      case "classic-empty":
        return { ...d, state: "Empty", protocolType: "consumer" };
      case "offsets-only":
        return { ...d, state: "Empty", protocolType: "" };
      case "connect":
        return { ...d, state: "Stable", protocolType: "connect", protocol: "sessioned" };
    }
  };
  const described: string[][] = [];
  return {
    described,
    listGroups: async () => ({
      groups: Object.entries(groups).map(([groupId, kind]): GroupOverview => ({ groupId, protocolType: listed[kind] })),
    }),
    describeGroups: async (ids: string[]) => {
      described.push(ids);
      return { groups: ids.map((id) => describe(id, groups[id])) };
    },
  };
}

describe("the preview on the consumer groups' protocol", () => {
  it("tellsEachKindOfGroupApartFromWhatKafkajsSees", async () => {
    const source = fakeSource({
      orders: "kip848",
      billing: "classic-live",
      audit: "classic-empty",
      replay: "offsets-only",
      sink: "connect",
      someoneElses: "kip848",
    });
    const types = await groupTypes(source, ["orders", "billing", "audit", "replay", "sink", "missing"]);
    expect(Object.fromEntries(types)).toEqual({
      orders: "consumer",
      billing: "classic",
      audit: "classic",
      replay: "classic",
      sink: "other",
      missing: "absent", // not listed: described as Dead too, but never asked
    });
    expect(source.described).toEqual([["orders", "billing", "audit", "replay", "sink"]]);
  });

  it("namesTheKip848GroupSayingTheCutoverConvertsItAndWhatItsConsumersWillSee", async () => {
    const types = await groupTypes(fakeSource({ "orders-service": "kip848", billing: "classic-live" }), [
      "orders-service",
      "billing",
    ]);
    expect(groupProtocolNotes(types)).toEqual([
      `consumer group orders-service uses the consumer group protocol (KIP-848, group.protocol=consumer) on the source; the link's offset sync makes it a classic group on the destination, where such consumers would fail at the switch (GroupIdNotFoundException), so after promotion the cutover makes it a consumer group there (one member joins and leaves; the destination principal needs READ on the group): at the switch their consumers are told their member is unknown (logged, not fatal), rejoin and resume at the committed offsets, and may see the records of their first poll again`,
    ]);
  });

  it("namesSeveralKip848GroupsInOneNote", async () => {
    const types = await groupTypes(fakeSource({ a: "kip848", b: "classic-live", c: "kip848" }), ["a", "b", "c"]);
    const notes = groupProtocolNotes(types);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^consumer groups a, c use the consumer group protocol \(KIP-848.*makes them consumer groups there/,
    );
    expect(notes[0]).not.toMatch(/\bb\b/);
  });

  it("saysNothingWhenEveryGroupIsClassicOrAbsent", async () => {
    const types = await groupTypes(fakeSource({ billing: "classic-live", replay: "offsets-only" }), [
      "billing",
      "replay",
      "new-app",
    ]);
    expect(groupProtocolNotes(types)).toEqual([]);
  });

  it("describesNothingWhenNoneOfTheGroupsIsListed", async () => {
    const source = fakeSource({ unrelated: "kip848" });
    expect(Object.fromEntries(await groupTypes(source, ["new-app"]))).toEqual({ "new-app": "absent" });
    expect(source.described).toEqual([]);
  });
});
