/**
 * A mirror topic is an offset-identical copy of its source: every record produced to the source appears
 * on the destination at the same partition and offset with the same key, value, headers and timestamp,
 * and the reported lag falls to 0.
 */
import { eventually, uniqueName } from "../helpers";
import { client, createTopic } from "../helpers/kafka";
import { startHarness, type Harness } from "./harness";
import { EPOCH, readAll } from "./records";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

it("records produced to a source topic appear on the mirror at the same offsets with equal keys, values, headers and timestamps; lag falls to 0", async () => {
  const topic = uniqueName("orders");
  const link = uniqueName("link");
  await createTopic(h.endpoints.source, topic, 3);
  const producer = client(h.endpoints.source).producer();
  await producer.connect();
  const send = (from: number, n: number) =>
    producer.send({
      topic,
      messages: Array.from({ length: n }, (_, i) => ({
        key: i % 5 === 0 ? null : `k${from + i}`,
        value: i % 7 === 0 ? null : `v${from + i}`,
        headers: { seq: String(from + i), origin: "test" },
        timestamp: String(EPOCH + from + i),
      })),
    });
  await send(0, 300);

  await h.rest.createLink(link, { configs: h.linkConfigs() });
  await h.rest.createMirror(link, { source_topic_name: topic });
  await send(300, 300); // while mirroring
  await producer.disconnect();

  await eventually(
    async () => {
      const mirror = await h.rest.getMirror(link, topic);
      expect(mirror.mirror_status).toBe("ACTIVE");
      expect(mirror.num_partitions).toBe(3);
      expect(mirror.mirror_lags.map((l) => l.lag)).toEqual([0, 0, 0]);
    },
    { timeoutMs: 30_000, what: "lag 0 on every partition" },
  );

  const [source, mirror] = await Promise.all([
    readAll(h.endpoints.source, topic, 600),
    readAll(h.endpoints.destination, topic, 600),
  ]);
  expect(mirror).toHaveLength(600);
  expect(mirror).toEqual(source);
  await h.rest.failoverMirrors(link, { mirror_topic_names: [topic] });
  await h.rest.deleteLink(link);
});
