/**
 * The cluster link and mirror topic providers against the real Cluster Linking emulator and the real
 * Kafka pair: create a link and a mirror and see records replicate; change offset sync in place; refuse
 * to delete the link (naming the group not cut over) or the mirror while it still mirrors; an abandoned
 * group's mirror is failed over instead, its topic kept; once promoted, the mirror is no change and
 * deleting it forgets it (the topic stays); then the link can go.
 */
import { ClusterLinkInputs, ClusterLinkOutputs } from "../../../dynamic/clusterLink/linkConfigs";
import { provider as linkProvider } from "../../../dynamic/clusterLink/linkProvider";
import { MirrorTopicOutputs, provider as mirrorProvider } from "../../../dynamic/clusterLink/mirrorTopicProvider";
import { eventually, uniqueName } from "../helpers";
import { client, consumeValues, createTopic } from "../helpers/kafka";
import { SharedEndpoints, cleanUp, linkInputs, mirrorInputs, rest, sharedEndpoints } from "./env";

async function produce(e: SharedEndpoints, topic: string, values: string[]): Promise<void> {
  const producer = client(e.source).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: values.map((value) => ({ value })) });
  } finally {
    await producer.disconnect();
  }
}

describe("cluster link and mirror topic providers on the emulator", () => {
  const e = sharedEndpoints();
  const linkName = uniqueName("dyn-link");
  const topic = uniqueName("dyn-orders");
  let link: { id: string; outs: ClusterLinkOutputs };
  let mirror: { id: string; outs: MirrorTopicOutputs };
  afterAll(() => cleanUp(e, linkName));

  it("creates the link (validated against the source) and a mirror that copies the source's records", async () => {
    await createTopic(e.source, topic, 2);
    await produce(e, topic, ["a", "b", "c"]);
    link = (await linkProvider.create(
      linkInputs(e, linkName, { consumerGroups: ["dyn-consumers"], groups: [{ name: "dyn", mirrorTopics: [topic] }] }),
    )) as typeof link;
    expect(link.id).toBe(`${e.destination.clusterId}/${linkName}`);
    expect(link.outs).toMatchObject({ linkName, linkState: "ACTIVE" });
    expect(link.outs.clusterLinkId).toEqual(expect.any(String));
    const configs = new Map((await rest(e).getLinkConfigs(linkName)).map((c) => [c.name, c.value]));
    expect(configs.get("consumer.offset.sync.enable")).toBe("true");
    expect(JSON.parse(configs.get("consumer.offset.group.filters") ?? "{}")).toEqual({
      groupFilters: [{ name: "dyn-consumers", patternType: "LITERAL", filterType: "INCLUDE" }],
    });

    mirror = (await mirrorProvider.create(mirrorInputs(e, linkName, topic))) as typeof mirror;
    expect(mirror.outs).toMatchObject({ mirrorTopicName: topic, numPartitions: 2 });
    const copied = await consumeValues(e.destination, topic, uniqueName("dyn-check"), 3);
    expect(copied.sort()).toEqual(["a", "b", "c"]);
  });

  it("adopts its own mirror when a retried create finds it already made, and refuses an ordinary topic", async () => {
    const again = (await mirrorProvider.create(mirrorInputs(e, linkName, topic))) as typeof mirror;
    expect(again).toEqual(mirror);

    const plain = uniqueName("dyn-plain");
    await Promise.all([createTopic(e.source, plain), createTopic(e.destination, plain)]);
    await expect(mirrorProvider.create(mirrorInputs(e, linkName, plain))).rejects.toThrow(
      /error_code 40002.*already exists on the destination/,
    );
  });

  it("changes offset sync in place: the same link, the new consumer.offset.sync.ms", async () => {
    const news: ClusterLinkInputs = {
      ...linkInputs(e, linkName, {
        consumerGroups: ["dyn-consumers"],
        groups: [{ name: "dyn", mirrorTopics: [topic] }],
      }),
      offsetSyncMs: 2500,
    };
    expect(await linkProvider.diff!(link.id, link.outs, news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await linkProvider.update!(link.id, link.outs, news);
    expect(updated.outs?.clusterLinkId).toBe(link.outs.clusterLinkId);
    expect((await rest(e).getLinkConfig(linkName, "consumer.offset.sync.ms")).value).toBe("2500");
    link = { id: link.id, outs: updated.outs as ClusterLinkOutputs };
    const read = await linkProvider.read!(link.id, link.outs);
    expect(read.props).toMatchObject({ offsetSyncMs: 2500, linkState: "ACTIVE" });
  });

  it("refuses to delete the link while a group on it is not cut over, naming the group", async () => {
    await expect(linkProvider.delete!(link.id, link.outs)).rejects.toThrow(
      `cluster link ${linkName} on ${e.destination.clusterId} still mirrors 1 topic(s) that are not promoted`,
    );
    await expect(linkProvider.delete!(link.id, link.outs)).rejects.toThrow(
      `group dyn is not cut over: ${topic} (ACTIVE)`,
    );
    expect(await rest(e).findLink(linkName)).toBeDefined();
  });

  it("fails an abandoned group's mirror over when it is deleted: mirroring stops, the topic and its records stay", async () => {
    const abandoned = uniqueName("dyn-abandoned");
    await createTopic(e.source, abandoned, 1);
    await produce(e, abandoned, ["x", "y"]);
    const made = (await mirrorProvider.create(mirrorInputs(e, linkName, abandoned))) as typeof mirror;
    // Copied first: failover stops the mirror where it is, without waiting for lag.
    expect((await consumeValues(e.destination, abandoned, uniqueName("dyn-check"), 2)).sort()).toEqual(["x", "y"]);
    await expect(mirrorProvider.delete!(made.id, { ...made.outs, group: "dyn-2" })).rejects.toThrow(
      "To give up the migration of group dyn-2 instead, list it in kafka-cutover:protection.abandonGroups",
    );
    await mirrorProvider.delete!(made.id, { ...made.outs, group: "dyn-2", abandoned: true });
    expect((await rest(e).getMirror(linkName, abandoned)).mirror_status).toBe("STOPPED");
    const kept = await consumeValues(e.destination, abandoned, uniqueName("dyn-check"), 2);
    expect(kept.sort()).toEqual(["x", "y"]);
  });

  it("refuses to delete a mirror while it is ACTIVE: consumers may be reading it", async () => {
    await expect(mirrorProvider.delete!(mirror.id, mirror.outs)).rejects.toThrow(
      `mirror topic ${topic} (from ${topic}) on link ${linkName} is ACTIVE: deleting it would delete a topic`,
    );
    expect((await rest(e).getMirror(linkName, topic)).mirror_status).toBe("ACTIVE");
  });

  it("once promoted, the mirror is no change, deleting it forgets it (the topic stays), and the link can go", async () => {
    await rest(e).promoteMirrors(linkName, { mirror_topic_names: [topic] });
    await eventually(
      async () => {
        const status = (await rest(e).getMirror(linkName, topic)).mirror_status;
        if (status !== "STOPPED") throw new Error(status);
      },
      { timeoutMs: 30_000, what: "promotion" },
    );
    const read = await mirrorProvider.read!(mirror.id, mirror.outs);
    expect(read.props?.mirrorStatus).toBe("STOPPED");
    expect(
      await mirrorProvider.diff!(mirror.id, read.props as MirrorTopicOutputs, mirrorInputs(e, linkName, topic)),
    ).toMatchObject({ changes: false, replaces: [] });

    await mirrorProvider.delete!(mirror.id, read.props as MirrorTopicOutputs);
    const admin = client(e.destination).admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toContain(topic);
    } finally {
      await admin.disconnect();
    }
    await linkProvider.delete!(link.id, link.outs);
    expect(await rest(e).findLink(linkName)).toBeUndefined();
  });
});
