/**
 * A mirror promoted while the group's route still led clients to the source (a crash, or a promotion by
 * hand) copies nothing of what those clients write next. On real Kafka and the Cluster Linking emulator: the
 * preview and the resume name each partition the source took records on after the promotion and how many,
 * the resume changes nothing (route open on the source, the other mirror still ACTIVE), and once those
 * records are copied to the same partitions of the promoted topic, the next run finishes the cutover.
 */
import { Kafka, Partitioners, type Producer } from "kafkajs";
import { preflight } from "../../../dynamic/cutover/preflight";
import { kafkajsConfig } from "../../../local/kafka";
import { eventually } from "../helpers";
import { rest } from "../dynamic/env";
import { startProvider } from "./providerRun";
import { CutoverWorld, createWorld } from "./world";

async function endOffsets(kafka: Kafka, topic: string): Promise<Record<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return Object.fromEntries((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
  } finally {
    await admin.disconnect();
  }
}

async function withProducer(kafka: Kafka, fn: (p: Producer) => Promise<void>): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner }); // partitions are explicit
  await producer.connect();
  try {
    await fn(producer);
  } finally {
    await producer.disconnect();
  }
}

describe("resuming a cutover whose promoted topic took records on the source", () => {
  let world: CutoverWorld;
  afterAll(() => world?.cleanUp());

  it("refuses before any change naming the partitions and records, and finishes once they are copied", async () => {
    world = await createWorld("diverged");
    const [promoted, other] = world.topics;
    const e = world.endpoints;
    const source = new Kafka(kafkajsConfig(e.source));
    const destination = new Kafka(kafkajsConfig(e.destination));
    // The group's clients, through the route (on the source, unfenced), as the app principal.
    const clients = new Kafka({
      clientId: "diverged-app",
      brokers: [world.route],
      sasl: { mechanism: "scram-sha-512", username: world.app.username, password: world.app.password },
    });
    const produce = (partition: number, n: number, tag: string) =>
      withProducer(clients, async (p) => {
        await p.send({
          topic: promoted,
          messages: Array.from({ length: n }, (_, i) => ({ partition, key: `${tag}-${i}`, value: `${tag}-${i}` })),
        });
      });
    for (const p of [0, 1, 2]) await produce(p, 10, `before-${p}`);

    // A promotion by hand (or a run that crashed before it fenced): the route stays open.
    await eventually(async () => {
      const [there, here] = [await endOffsets(destination, promoted), await endOffsets(source, promoted)];
      if (JSON.stringify(there) !== JSON.stringify(here)) throw new Error(`${promoted} still lags`);
    });
    await rest(e).promoteMirrors(world.name, { mirror_topic_names: [promoted] });
    await eventually(async () => {
      const m = (await world.mirrors()).find((x) => x.mirror_topic_name === promoted);
      if (m?.mirror_status !== "STOPPED") throw new Error(`${promoted} is ${m?.mirror_status}`);
    });
    await produce(1, 5, "after-1");
    await produce(2, 2, "after-2");

    const expected = new RegExp(
      `promoted mirror topics lack 7 records the source took after their promotion: ${promoted}\\[1\\]: 5 records \\(offsets 10\\.\\.14\\) on the source only \\(source log end 15, destination 10\\); ${promoted}\\[2\\]: 2 records \\(offsets 10\\.\\.11\\) on the source only \\(source log end 12, destination 10\\)\\. .*The route still leads to the source, unfenced`,
    );
    const preview = await preflight(world.inputs());
    expect(preview.blockers.filter((b) => b.property === "topics").map((b) => b.reason)).toEqual([
      expect.stringMatching(expected),
    ]);

    const refused = await startProvider(world.inputs()).done;
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(new RegExp(`^resume: group ${world.name}: ${expected.source}`));
    expect(await world.liveRoute()).toMatchObject({ domain: "msk", fenced: false }); // nothing changed
    expect((await world.mirrors()).find((m) => m.mirror_topic_name === other)?.mirror_status).toBe("ACTIVE");

    // What the refusal says to do: copy those records to the same partitions of the promoted topic.
    await withProducer(destination, async (p) => {
      for (const [partition, n] of [
        [1, 5],
        [2, 2],
      ] as const)
        await p.send({
          topic: promoted,
          messages: Array.from({ length: n }, (_, i) => ({
            partition,
            key: `after-${partition}-${i}`,
            value: `after-${partition}-${i}`,
          })),
        });
    });
    expect(await endOffsets(destination, promoted)).toEqual(await endOffsets(source, promoted));
    expect((await preflight(world.inputs())).blockers.filter((b) => b.property === "topics")).toEqual([]);

    const finished = await startProvider(world.inputs()).done;
    expect(finished.error).toBeUndefined();
    expect(finished).toMatchObject({ ok: true, outs: { state: "cut-over" } });
    await world.waitApplied();
    expect(await world.appliedRoute()).toMatchObject({ domain: "confluent-cloud", fenced: false });
    expect(await endOffsets(destination, promoted)).toEqual(await endOffsets(source, promoted));
  }, 180_000);
});
