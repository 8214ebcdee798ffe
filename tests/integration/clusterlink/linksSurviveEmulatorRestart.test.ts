/**
 * Links and mirrors are persisted in the state dir: after a restart the link is back and replication
 * resumes from the destination's log end, so records produced while the emulator was down arrive at
 * their source offsets.
 */
import { eventually, uniqueName } from "../helpers";
import { client, createTopic, type Endpoint } from "../helpers/kafka";
import { startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

async function produce(topic: string, from: number, n: number): Promise<void> {
  const producer = client(h.endpoints.source).producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: n }, (_, i) => ({ partition: 0, value: `r${from + i}` })),
  });
  await producer.disconnect();
}

async function valuesAt(endpoint: Endpoint, topic: string, count: number): Promise<string[]> {
  const consumer = client(endpoint).consumer({ groupId: uniqueName("check"), maxWaitTimeInMs: 100 });
  const out: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => void (out[Number(message.offset)] = message.value?.toString() ?? ""),
  });
  try {
    await eventually(async () => expect(out.filter((v) => v !== undefined)).toHaveLength(count), { timeoutMs: 20_000 });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

it("a restarted emulator still has the link and resumes mirroring at the destination's log end", async () => {
  const topic = uniqueName("ledger");
  const link = uniqueName("link");
  await createTopic(h.endpoints.source, topic, 1);
  await h.rest.createLink(link, { configs: h.linkConfigs() });
  await h.rest.createMirror(link, { source_topic_name: topic });
  await produce(topic, 0, 100);
  await eventually(async () => expect((await h.rest.getMirror(link, topic)).mirror_lags[0].lag).toBe(0));
  const before = await h.rest.getLink(link);

  await h.restartEmulator(() => produce(topic, 100, 100));

  const after = await h.rest.getLink(link);
  expect(after.cluster_link_id).toBe(before.cluster_link_id);
  await eventually(
    async () => {
      const m = await h.rest.getMirror(link, topic);
      expect(m.mirror_status).toBe("ACTIVE");
      expect(m.mirror_lags[0]).toMatchObject({ lag: 0, last_source_fetch_offset: 200 });
    },
    { timeoutMs: 30_000 },
  );
  expect(await valuesAt(h.endpoints.destination, topic, 200)).toEqual(Array.from({ length: 200 }, (_, i) => `r${i}`));
});
