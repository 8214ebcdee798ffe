/**
 * The contract: every request the product's Cluster Linking client sends, and every answer the emulator gives,
 * conforms to the public API description (local/clusterlink/api/description.ts), including errors. The
 * client is driven through each of its operations, so a shape the product relies on that the API does not
 * have (or an emulator answer the API would never give) fails here instead of being reproduced on both sides.
 */
import { ClusterLinkApiError } from "../../../clients/clusterLinkRest";
import { operationOf, violations, type Exchange } from "../../../local/clusterlink/api/conformance";
import { eventually, uniqueName } from "../helpers";
import { client, createTopic } from "../helpers/kafka";
import { startHarness, type Harness } from "./harness";

const exchanges: Exchange[] = [];
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ onExchange: (e) => exchanges.push(e), mirrorLagRefreshMs: 0 });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

async function refused(call: Promise<unknown>): Promise<ClusterLinkApiError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClusterLinkApiError);
  return err as ClusterLinkApiError;
}

it("the product's requests and the emulator's answers are the public API's, for every operation the product uses", async () => {
  const topic = uniqueName("contract");
  const link = uniqueName("link");
  await createTopic(h.endpoints.source, topic, 2);
  const producer = client(h.endpoints.source).producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: "a" }, { value: "b" }, { value: "c" }] });
  await producer.disconnect();

  const { rest } = h;
  await rest.createLink(
    link,
    { configs: h.linkConfigs({ "consumer.offset.sync.enable": "true" }) },
    { validateOnly: true },
  );
  await rest.createLink(link, { configs: h.linkConfigs({ "consumer.offset.sync.enable": "true" }) });
  await rest.getLink(link, { includeTasks: true });
  await rest.findLink(link);
  await rest.findLink(uniqueName("absent"));
  await rest.listLinks();
  await rest.getLinkConfigs(link);
  await rest.getLinkConfig(link, "consumer.offset.sync.ms");
  await rest.setLinkConfig(link, "consumer.offset.sync.ms", "5000");
  await rest.deleteLinkConfig(link, "consumer.offset.sync.ms");
  await rest.alterLinkConfigs(link, [
    { name: "consumer.offset.sync.ms", value: "4000", operation: "SET" },
    { name: "topic.config.sync.ms", operation: "DELETE" },
  ]);
  await rest.createMirror(link, { source_topic_name: topic });
  await eventually(async () =>
    expect((await rest.getMirror(link, topic)).mirror_lags.map((l) => l.lag)).toEqual([0, 0]),
  );
  await rest.listMirrors(link);
  await rest.listMirrors(link, { mirrorStatus: "ACTIVE" });
  await rest.listMirrors();
  await rest.pauseMirrors(link, { mirror_topic_names: [topic] });
  await rest.resumeMirrors(link, { mirror_topic_names: [topic] });
  await rest.promoteMirrors(link, { mirror_topic_names: [topic] }, { validateOnly: true });
  await rest.promoteMirrors(link, { mirror_topic_names: [topic, uniqueName("not-a-mirror")] });
  await eventually(async () => expect((await rest.getMirror(link, topic)).mirror_status).toBe("STOPPED"));
  await rest.promoteMirrors(link, { mirror_topic_name_pattern: ".*" }); // per-topic errors inside a 200
  await rest.failoverMirrors(link, { mirror_topic_names: [topic] });

  // Errors keep the envelope: a missing mirror, a missing link, a bad request.
  await refused(rest.getMirror(link, uniqueName("absent")));
  await refused(rest.getLink(uniqueName("absent")));
  await refused(rest.createMirror(link, { source_topic_name: "" }));
  await rest.deleteLink(link, { validateOnly: true });
  await rest.deleteLink(link);

  const used = new Set(exchanges.map((e) => operationOf(e.method, e.path)?.id ?? `${e.method} ${e.path}`));
  expect([...used].sort()).toEqual(
    [
      "createKafkaLink",
      "createKafkaMirrorTopic",
      "deleteKafkaLink",
      "deleteKafkaLinkConfig",
      "getKafkaLink",
      "getKafkaLinkConfigs",
      "listKafkaLinkConfigs",
      "listKafkaLinks",
      "listKafkaMirrorTopics",
      "listKafkaMirrorTopicsUnderLink",
      "readKafkaMirrorTopic",
      "updateKafkaLinkConfig",
      "updateKafkaLinkConfigBatch",
      "updateKafkaMirrorTopicsFailover",
      "updateKafkaMirrorTopicsPause",
      "updateKafkaMirrorTopicsPromote",
      "updateKafkaMirrorTopicsResume",
    ].sort(),
  );
  expect(exchanges.some((e) => e.status >= 400)).toBe(true);
  expect(exchanges.flatMap(violations)).toEqual([]);
}, 180_000);
