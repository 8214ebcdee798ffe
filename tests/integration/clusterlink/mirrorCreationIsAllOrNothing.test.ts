/**
 * Creating a mirror is all or nothing, as in Cluster Linking: from the moment a create is accepted the mirror
 * is listed (PENDING_MIRROR) and a second create of the same topic is refused as existing (400/40002), never
 * met by a plain topic half made by the first. So the MirrorTopic provider, whose create may be retried after a
 * lost response, adopts the mirror under way instead of failing (seen once in seven first `pulumi up`s of the
 * local stack: "Topic 'demo.payments' already exists on the destination cluster").
 */
import { ClusterLinkApiError } from "../../../clients/clusterLinkRest";
import { provider as mirrorTopicProvider } from "../../../dynamic/clusterLink/mirrorTopicProvider";
import { uniqueName } from "../helpers";
import { createTopic } from "../helpers/kafka";
import { startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const CREATION_MS = 2_000;

async function linkWithSlowCreations(): Promise<{ link: string; topic: string }> {
  const topic = uniqueName("orders");
  const link = uniqueName("link");
  await createTopic(h.endpoints.source, topic, 2);
  await h.rest.createLink(link, { configs: h.linkConfigs() });
  const runtime = h.emulator.link(link);
  if (!runtime) throw new Error(`the emulator has no link ${link}`);
  runtime.slowCreations(CREATION_MS);
  return { link, topic };
}

it("a mirror being created is listed as PENDING_MIRROR, a second create of it is refused as existing, and it then becomes ACTIVE", async () => {
  const { link, topic } = await linkWithSlowCreations();
  const first = h.rest.createMirror(link, { source_topic_name: topic });
  await new Promise((r) => setTimeout(r, 300));
  expect((await h.rest.getMirror(link, topic)).mirror_status).toBe("PENDING_MIRROR");

  const second = await h.rest.createMirror(link, { source_topic_name: topic }).catch((err: unknown) => err);
  expect(second).toBeInstanceOf(ClusterLinkApiError);
  expect(second).toMatchObject({ status: 400, errorCode: 40002 });
  // Not mirror-able while it is being made: a promote is refused, not half applied.
  const [promoted] = await h.rest.promoteMirrors(link, { mirror_topic_names: [topic] });
  expect(promoted).toMatchObject({ error_code: 400 });

  await first;
  expect((await h.rest.getMirror(link, topic)).mirror_status).toBe("ACTIVE");
  await h.rest.deleteLink(link, { force: true });
});

it("the MirrorTopic provider's create adopts a mirror whose first create is still under way, instead of failing on 40002", async () => {
  const { link, topic } = await linkWithSlowCreations();
  const first = h.rest.createMirror(link, { source_topic_name: topic });
  await new Promise((r) => setTimeout(r, 300));
  const created = await mirrorTopicProvider.create!({
    restEndpoint: h.emulator.url,
    clusterId: h.emulator.clusterId,
    apiKey: h.endpoints.destination.apiKey,
    apiSecret: h.endpoints.destination.apiSecret,
    linkName: link,
    sourceTopicName: topic,
    mirrorTopicName: topic,
  });
  expect(created.outs).toMatchObject({ mirrorTopicName: topic, sourceTopicName: topic, numPartitions: 2 });
  await first;
  expect((await h.rest.getMirror(link, topic)).mirror_status).toBe("ACTIVE");
  await h.rest.deleteLink(link, { force: true });
});
