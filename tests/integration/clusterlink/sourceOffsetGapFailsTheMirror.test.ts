/**
 * The emulator never shifts offsets: when the source has an offset gap (here a transaction's commit
 * marker, which consumers never see), the mirror is marked FAILED with mirror_topic_error instead of
 * writing later records at the wrong offsets.
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

it("a transaction marker in the source log marks the mirror FAILED (UNEXPECTED_TRUNCATION) and nothing is written past the gap", async () => {
  const topic = uniqueName("txn");
  const link = uniqueName("link");
  await createTopic(h.endpoints.source, topic, 1);
  await h.rest.createLink(link, { configs: h.linkConfigs() });
  await h.rest.createMirror(link, { source_topic_name: topic });

  const kafka = client(h.endpoints.source);
  const txProducer = kafka.producer({ transactionalId: uniqueName("tx"), idempotent: true, maxInFlightRequests: 1 });
  await txProducer.connect();
  const tx = await txProducer.transaction();
  await tx.send({ topic, messages: [{ value: "t0" }, { value: "t1" }, { value: "t2" }] });
  await tx.commit(); // offsets 0-2, marker at 3
  await txProducer.disconnect();
  // The coordinator writes the marker after commit() returns; the next record must come after it.
  const sourceAdmin = kafka.admin();
  await sourceAdmin.connect();
  await eventually(async () => expect((await sourceAdmin.fetchTopicOffsets(topic))[0].high).toBe("4"), {
    what: "the commit marker at offset 3",
  });
  await sourceAdmin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: "after" }] }); // offset 4
  await producer.disconnect();

  await eventually(
    async () => {
      const m = await h.rest.getMirror(link, topic);
      expect(m.mirror_status).toBe("FAILED");
      expect(m.mirror_topic_error).toBe("UNEXPECTED_TRUNCATION");
      expect(m.mirror_state_transition_errors?.[0]?.error_message).toMatch(/offset 3/);
    },
    { timeoutMs: 20_000 },
  );
  const admin = client(h.endpoints.destination).admin();
  await admin.connect();
  const [p0] = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  expect(p0.high).toBe("3");

  const promote = await h.rest.promoteMirrors(link, { mirror_topic_names: [topic] });
  expect(promote[0]).toMatchObject({ error_code: 400, error_message: expect.stringContaining("failover") });
  const failover = await h.rest.failoverMirrors(link, { mirror_topic_names: [topic] });
  expect(failover[0].error_code).toBeNull();
  expect((await h.rest.getMirror(link, topic)).mirror_status).toBe("STOPPED");
});
