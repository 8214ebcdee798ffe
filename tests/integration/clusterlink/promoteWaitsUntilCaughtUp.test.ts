/**
 * Lag is reported honestly while a mirror is paused; `:promote` leaves the mirror PENDING_STOPPED until
 * it has caught up, then STOPPED; promoting a STOPPED mirror answers 200 with a per-topic error.
 */
import { eventually, uniqueName } from "../helpers";
import { client, createTopic } from "../helpers/kafka";
import { startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
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

it("reports the true lag while paused, waits in PENDING_STOPPED until caught up, then STOPPED; a second promote is a per-topic error in a 200", async () => {
  const topic = uniqueName("payments");
  const link = uniqueName("link");
  await createTopic(h.endpoints.source, topic, 2);
  await h.rest.createLink(link, { configs: h.linkConfigs() });
  await h.rest.createMirror(link, { source_topic_name: topic });
  await produce(topic, 10);
  await eventually(async () =>
    expect((await h.rest.getMirror(link, topic)).mirror_lags.every((l) => l.lag === 0)).toBe(true),
  );

  const paused = await h.rest.pauseMirrors(link, { mirror_topic_names: [topic] });
  expect(paused).toEqual([expect.objectContaining({ mirror_topic_name: topic, error_code: null })]);
  await produce(topic, 40);
  await eventually(async () => {
    const m = await h.rest.getMirror(link, topic);
    expect(m.mirror_status).toBe("PAUSED");
    expect(m.mirror_lags.reduce((sum, l) => sum + l.lag, 0)).toBe(40);
  });

  const promoted = await h.rest.promoteMirrors(link, { mirror_topic_names: [topic] });
  expect(promoted[0].error_code).toBeNull();
  const pendingSince = Date.now();
  while (Date.now() - pendingSince < 1_500) {
    const m = await h.rest.getMirror(link, topic);
    expect(m.mirror_status).toBe("PENDING_STOPPED");
    expect(m.mirror_lags.reduce((sum, l) => sum + l.lag, 0)).toBe(40);
    await new Promise((r) => setTimeout(r, 250));
  }

  await h.rest.resumeMirrors(link, { mirror_topic_names: [topic] });
  await eventually(async () => expect((await h.rest.getMirror(link, topic)).mirror_status).toBe("STOPPED"), {
    timeoutMs: 20_000,
  });
  const stopped = await h.rest.getMirror(link, topic);
  expect(stopped.mirror_lags.every((l) => l.lag === 0)).toBe(true);
  expect(stopped.state_time_ms).toBeGreaterThanOrEqual(pendingSince);
  expect(await h.rest.listMirrors(link, { mirrorStatus: "STOPPED" })).toEqual([
    expect.objectContaining({ mirror_topic_name: topic }),
  ]);
  expect(await h.rest.listMirrors(link, { mirrorStatus: "ACTIVE" })).toEqual([]);

  const again = await h.rest.promoteMirrors(link, { mirror_topic_names: [topic] });
  expect(again).toEqual([
    expect.objectContaining({
      mirror_topic_name: topic,
      error_code: 400,
      error_message: expect.stringContaining("already stopped"),
    }),
  ]);
});
