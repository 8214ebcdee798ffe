/**
 * `mirror_lags` are what the link saw at its last refresh, not the log ends of the moment: with a refresh
 * interval longer than the test, records produced after the first read never show in them. The link's own
 * promotion check still uses its true position: a mirror it reports at lag 0 only turns STOPPED once it has
 * really copied everything, and a STOPPED mirror reports its final figures.
 */
import { eventually, uniqueName } from "../helpers";
import { client, createTopic } from "../helpers/kafka";
import { startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  // One refresh every ten minutes: within this test the reported figures are those of the first read.
  h = await startHarness({ mirrorLagRefreshMs: 600_000 });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

async function produce(topic: string, n: number): Promise<void> {
  const producer = client(h.endpoints.source).producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ value: `m${i}` })) });
  await producer.disconnect();
}

async function logEnd(which: "source" | "destination", topic: string): Promise<number> {
  const admin = client(h.endpoints[which]).admin();
  await admin.connect();
  try {
    return Number((await admin.fetchTopicOffsets(topic))[0].high);
  } finally {
    await admin.disconnect();
  }
}

it("mirrorLagsTrailRealityButPromotionWaitsForTheTruePosition", async () => {
  const topic = uniqueName("trailing");
  const link = uniqueName("link");
  await createTopic(h.endpoints.source, topic, 1);
  await h.rest.createLink(link, { configs: h.linkConfigs() });
  await h.rest.createMirror(link, { source_topic_name: topic });
  await eventually(async () => expect((await h.rest.getMirror(link, topic)).mirror_status).toBe("ACTIVE"));
  expect((await h.rest.getMirror(link, topic)).mirror_lags).toEqual([
    { partition: 0, lag: 0, last_source_fetch_offset: 0 },
  ]);

  await h.rest.pauseMirrors(link, { mirror_topic_names: [topic] });
  await produce(topic, 30);
  expect([await logEnd("source", topic), await logEnd("destination", topic)]).toEqual([30, 0]);
  // Reality is 30 behind; the link reports what it saw at its last refresh, in every answer that carries lags.
  const reported = { partition: 0, lag: 0, last_source_fetch_offset: 0 };
  expect((await h.rest.getMirror(link, topic)).mirror_lags).toEqual([reported]);
  expect((await h.rest.listMirrors(link)).find((m) => m.mirror_topic_name === topic)?.mirror_lags).toEqual([reported]);

  const promoted = await h.rest.promoteMirrors(link, { mirror_topic_names: [topic] });
  expect(promoted).toEqual([expect.objectContaining({ error_code: null, mirror_lags: [reported] })]);
  // Reported lag 0 does not finish the promotion: the paused mirror really lags, so it stays PENDING_STOPPED.
  const since = Date.now();
  while (Date.now() - since < 1_500) {
    expect((await h.rest.getMirror(link, topic)).mirror_status).toBe("PENDING_STOPPED");
    await new Promise((r) => setTimeout(r, 250));
  }

  await h.rest.resumeMirrors(link, { mirror_topic_names: [topic] });
  await eventually(async () => expect((await h.rest.getMirror(link, topic)).mirror_status).toBe("STOPPED"), {
    timeoutMs: 20_000,
  });
  expect(await logEnd("destination", topic)).toBe(30);
  // A STOPPED mirror's figures are its final ones, taken when it stopped.
  expect((await h.rest.getMirror(link, topic)).mirror_lags).toEqual([
    { partition: 0, lag: 0, last_source_fetch_offset: 30 },
  ]);
});
