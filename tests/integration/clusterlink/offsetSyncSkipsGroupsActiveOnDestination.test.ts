/**
 * Consumer offset sync copies a group's committed offsets for mirrored topics to the destination on the
 * link's interval (500 ms here) with standalone commits — the group never shows a member on the
 * destination — and never touches a group that is active on the destination. `:promote` waits for a
 * sync cycle that started after the mirror caught up, so offsets committed on the source beyond the
 * mirror's end while it was paused are on the destination once the mirror is STOPPED.
 */
import type { Admin } from "kafkajs";
import { StandaloneOffsetCommitter } from "../../../local/clusterlink/offsetCommit";
import { eventually, uniqueName } from "../helpers";
import { client, createTopic, type Endpoint } from "../helpers/kafka";
import { startHarness, type Harness } from "./harness";

let h: Harness;
let destination: Admin;
let sourceCommitter: StandaloneOffsetCommitter;
beforeAll(async () => {
  h = await startHarness({ promoteCheckMs: 100 });
  destination = client(h.endpoints.destination).admin();
  // Source offsets are set the way the sync writes them (kafkajs' setOffsets joins the group: ~5 s each).
  sourceCommitter = new StandaloneOffsetCommitter(client(h.endpoints.source));
  await Promise.all([destination.connect(), sourceCommitter.connect()]);
}, 120_000);
afterAll(async () => {
  await sourceCommitter?.disconnect();
  await destination?.disconnect();
  await h?.close();
});

/** This file's groups only (other test files use the same source cluster at the same time). */
const PREFIX = `${uniqueName("osync")}-`;
const OUR_GROUPS = JSON.stringify({ groupFilters: [{ name: PREFIX, patternType: "PREFIXED", filterType: "INCLUDE" }] });

async function commitOnSource(groupId: string, topic: string, offsets: Record<number, number>): Promise<void> {
  await sourceCommitter.commit(groupId, [
    { topic, partitions: Object.entries(offsets).map(([p, o]) => ({ partition: Number(p), offset: String(o) })) },
  ]);
}

async function offsets(admin: Admin, groupId: string, topic: string): Promise<Record<number, string>> {
  const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries(t.partitions.map((p) => [p.partition, p.offset]));
}

async function produce(endpoint: Endpoint, topic: string, n: number): Promise<void> {
  const producer = client(endpoint).producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ partition: i % 2, value: `s${i}` })) });
  await producer.disconnect();
}

/** Describes `groupId` on the destination every 20 ms until stopped; returns what was seen other than "no members". */
function watchForMembers(groupId: string): { stop(): Promise<{ samples: number; seen: string[] }> } {
  let running = true;
  let samples = 0;
  const seen: string[] = [];
  const loop = (async () => {
    while (running) {
      const [g] = (await destination.describeGroups([groupId])).groups;
      samples++;
      if (g && (g.members.length > 0 || !["Empty", "Dead"].includes(g.state)))
        seen.push(`${g.state} with ${g.members.length} member(s)`);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { samples, seen };
    },
  };
}

it("copies an idle group's offsets without it ever showing a member, and leaves a group active on the destination alone", async () => {
  const topic = uniqueName("shipments");
  const link = uniqueName("link");
  const idle = `${PREFIX}billing`;
  const active = `${PREFIX}audit`;
  await createTopic(h.endpoints.source, topic, 2);
  await produce(h.endpoints.source, topic, 40);
  await commitOnSource(idle, topic, { 0: 12, 1: 7 });
  const watcher = watchForMembers(idle);
  let watched: { samples: number; seen: string[] };
  try {
    await h.rest.createLink(link, {
      configs: h.linkConfigs({
        "consumer.offset.sync.enable": "true",
        "consumer.offset.sync.ms": "500",
        "consumer.offset.group.filters": OUR_GROUPS,
      }),
    });
    await h.rest.createMirror(link, { source_topic_name: topic });
    await eventually(async () => expect(await offsets(destination, idle, topic)).toEqual({ 0: "12", 1: "7" }), {
      timeoutMs: 20_000,
      what: "the idle group's offsets on the destination",
    });

    // The source moves on: the next cycle follows.
    await commitOnSource(idle, topic, { 0: 20 });
    await eventually(async () => expect(await offsets(destination, idle, topic)).toEqual({ 0: "20", 1: "7" }), {
      timeoutMs: 5_000,
    });

    // `active` consumes the mirror on the destination and commits its own offset there; then the
    // source gets (other) offsets for it: they must not overwrite the destination's.
    const consumer = client(h.endpoints.destination).consumer({ groupId: active, maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      let consumed = 0;
      await consumer.run({ autoCommit: false, eachMessage: async () => void consumed++ });
      await eventually(async () => expect(consumed).toBeGreaterThan(0), { timeoutMs: 20_000 });
      await consumer.commitOffsets([{ topic, partition: 0, offset: "3" }]);
      await commitOnSource(active, topic, { 0: 15, 1: 15 });
      const committedAt = Date.now();
      const linkRuntime = h.emulator.link(link);
      // Two full cycles that started after the source commit.
      await eventually(
        async () => {
          const last = linkRuntime?.lastOffsetSyncResult;
          expect(last?.startedMs ?? 0).toBeGreaterThan(committedAt + 500);
          expect(last?.skippedActive).toEqual([active]);
        },
        { timeoutMs: 5_000, what: "two sync cycles after the source commit" },
      );
      expect(await offsets(destination, active, topic)).toEqual({ 0: "3", 1: "-1" });
      expect(linkRuntime?.lastOffsetSyncMs ?? 0).toBeGreaterThan(committedAt);
      const described = await h.rest.getLink(link, { includeTasks: true });
      const task = described.tasks?.find((t) => t.task_name === "ConsumerOffsetSync");
      expect(task?.state).toBe("IN_ERROR");
      expect(task?.errors).toEqual([
        { error_code: "CONSUMER_GROUP_IN_USE_ERROR", error_message: expect.stringContaining(active) },
      ]);
    } finally {
      await consumer.disconnect();
    }
  } finally {
    watched = await watcher.stop();
  }
  expect(watched.samples).toBeGreaterThan(20);
  expect(watched.seen).toEqual([]);
  const [idleOnDestination] = (await destination.describeGroups([idle])).groups;
  expect(idleOnDestination).toEqual(expect.objectContaining({ state: "Empty", members: [] }));

  // Once `active` has left the destination, its source offsets are synced; the task is ACTIVE again.
  await eventually(
    async () => {
      expect(await offsets(destination, active, topic)).toEqual({ 0: "15", 1: "15" });
      const task = (await h.rest.getLink(link, { includeTasks: true })).tasks?.find(
        (t) => t.task_name === "ConsumerOffsetSync",
      );
      expect(task).toEqual({ task_name: "ConsumerOffsetSync", state: "ACTIVE", errors: [] });
    },
    { timeoutMs: 10_000, what: "the departed group's offsets synced and the task ACTIVE" },
  );
  await h.rest.failoverMirrors(link, { mirror_topic_names: [topic] });
});

it("promote turns STOPPED only after a sync that sees offsets committed beyond the mirror's end while paused", async () => {
  const topic = uniqueName("orders");
  const link = uniqueName("link");
  const group = `${PREFIX}fulfilment`;
  await createTopic(h.endpoints.source, topic, 2);
  await produce(h.endpoints.source, topic, 10);
  await h.rest.createLink(link, {
    // A long interval: only the promote's own cycle can sync the final offsets within the test.
    configs: h.linkConfigs({
      "consumer.offset.sync.enable": "true",
      "consumer.offset.sync.ms": "600000",
      "consumer.offset.group.filters": OUR_GROUPS,
    }),
  });
  await h.rest.createMirror(link, { source_topic_name: topic });
  await eventually(async () =>
    expect((await h.rest.getMirror(link, topic)).mirror_lags.every((l) => l.lag === 0)).toBe(true),
  );
  await h.rest.pauseMirrors(link, { mirror_topic_names: [topic] });
  await produce(h.endpoints.source, topic, 10);
  await commitOnSource(group, topic, { 0: 10, 1: 9 }); // beyond the paused mirror's ends (5, 5)
  await h.rest.promoteMirrors(link, { mirror_topic_names: [topic] });
  await h.rest.resumeMirrors(link, { mirror_topic_names: [topic] });
  await eventually(async () => expect((await h.rest.getMirror(link, topic)).mirror_status).toBe("STOPPED"), {
    timeoutMs: 15_000,
  });
  expect(await offsets(destination, group, topic)).toEqual({ 0: "10", 1: "9" });
});
