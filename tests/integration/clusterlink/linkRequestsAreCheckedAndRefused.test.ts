/**
 * The API refuses what it must: a wrong Basic credential (401/40101, not retried), a link whose source
 * credentials do not work (400 naming the cause; validate_only creates nothing), deleting a link while
 * its mirrors are ACTIVE (400 unless force=true), unknown links and mirrors (404).
 */
import { ClusterLinkApiError, ClusterLinkRestClient, fastRetryPolicy } from "../../../clients/clusterLinkRest";
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

async function apiError(promise: Promise<unknown>): Promise<ClusterLinkApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ClusterLinkApiError) return err;
    throw err;
  }
  throw new Error("expected a ClusterLinkApiError");
}

it("a wrong API secret gets 401 with error_code 40101 and is not retried", async () => {
  const wrong = new ClusterLinkRestClient({
    restEndpoint: h.emulator.url,
    clusterId: h.emulator.clusterId,
    apiKey: h.endpoints.destination.apiKey,
    apiSecret: "not-the-secret",
    retry: fastRetryPolicy,
  });
  const err = await apiError(wrong.listLinks());
  expect(err).toMatchObject({ status: 401, errorCode: 40101, retriable: false, attempts: 1 });
  expect(err.message).not.toContain("not-the-secret");
});

it("creating a link with a wrong SCRAM password is a 400 that names the cause, and validate_only creates nothing", async () => {
  const link = uniqueName("link");
  const err = await apiError(h.rest.createLink(link, { configs: h.linkConfigs({}, "wrong-password") }));
  expect(err).toMatchObject({ status: 400, errorCode: 40002 });
  expect(err.detail).toMatch(/AUTHENTICATION_ERROR.*authentication to the source cluster at .* as User:.* failed/);
  expect(err.message).not.toContain("wrong-password");

  await h.rest.createLink(link, { configs: h.linkConfigs() }, { validateOnly: true });
  expect((await h.rest.listLinks()).map((l) => l.link_name)).not.toContain(link);
  expect(await h.rest.findLink(link)).toBeUndefined();
});

it("deleting a link with ACTIVE mirrors is refused with 400 unless force=true", async () => {
  const topic = uniqueName("refunds");
  const link = uniqueName("link");
  await createTopic(h.endpoints.source, topic, 1);
  await h.rest.createLink(link, { configs: h.linkConfigs() });
  const described = await h.rest.getLink(link);
  expect(described).toMatchObject({
    link_name: link,
    link_state: "ACTIVE",
    link_error: "NO_ERROR",
    source_cluster_id: h.endpoints.source.clusterId,
  });
  await h.rest.createMirror(link, { source_topic_name: topic });
  expect((await h.rest.getLink(link)).topic_names).toEqual([topic]);

  const refused = await apiError(h.rest.deleteLink(link));
  expect(refused).toMatchObject({ status: 400, errorCode: 40002 });
  expect(refused.detail).toContain(topic);
  expect(await h.rest.findLink(link)).toBeDefined();

  await h.rest.deleteLink(link, { force: true });
  expect(await h.rest.findLink(link)).toBeUndefined();
  const missing = await apiError(h.rest.getMirror(link, topic));
  expect(missing.status).toBe(404);
});

it("link configs: defaults listed, PUT and DELETE change them, read-only keys and bad values are refused, secrets never returned", async () => {
  const link = uniqueName("link");
  await h.rest.createLink(link, { configs: h.linkConfigs({ "consumer.offset.sync.ms": "1000" }) });
  const configs = await h.rest.getLinkConfigs(link);
  const byName = new Map(configs.map((c) => [c.name, c]));
  expect(byName.get("consumer.offset.sync.ms")).toMatchObject({
    value: "1000",
    is_default: false,
    synonyms: ["cosm"],
    kind: "KafkaLinkConfigData",
  });
  expect(byName.get("consumer.offset.sync.enable")).toMatchObject({ value: "false", is_default: true });
  expect(byName.get("sasl.jaas.config")).toMatchObject({ value: null, is_sensitive: true });

  await h.rest.setLinkConfig(link, "consumer.offset.sync.enable", "true");
  expect((await h.rest.getLinkConfig(link, "consumer.offset.sync.enable")).value).toBe("true");
  await h.rest.alterLinkConfigs(link, [
    { name: "consumer.offset.sync.ms", operation: "DELETE" },
    {
      name: "consumer.offset.group.filters",
      value: '{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}',
    },
  ]);
  expect((await h.rest.getLinkConfig(link, "consumer.offset.sync.ms")).value).toBe("30000");
  await h.rest.deleteLinkConfig(link, "consumer.offset.sync.enable");
  expect((await h.rest.getLinkConfig(link, "consumer.offset.sync.enable")).is_default).toBe(true);

  expect(await apiError(h.rest.setLinkConfig(link, "link.mode", "SOURCE"))).toMatchObject({
    status: 400,
    errorCode: 40002,
  });
  expect(await apiError(h.rest.setLinkConfig(link, "consumer.offset.sync.ms", "soon"))).toMatchObject({ status: 400 });
  expect(await apiError(h.rest.getLink(uniqueName("nope")))).toMatchObject({ status: 404 });
  await h.rest.deleteLink(link);
});

it("rate limiting (429, HTML) and retriable server errors (503/50003) from the emulator's test hook are retried by the client", async () => {
  h.emulator.faults.inject({ status: 429, times: 1 });
  h.emulator.faults.inject({ status: 503, errorCode: 50003, times: 1 });
  await expect(h.rest.listLinks()).resolves.toEqual(expect.any(Array));
  h.emulator.faults.inject({ status: 503, times: 10 });
  expect(await apiError(h.rest.listLinks())).toMatchObject({
    status: 503,
    errorCode: 50003,
    retriable: true,
    attempts: fastRetryPolicy.maxAttempts,
  });
  h.emulator.faults.clear();
});

it("a known API key without permission on the cluster gets 403/40301", async () => {
  h.emulator.addApiKey("READONLYKEY", "readonly-secret", { authorized: false });
  const client = new ClusterLinkRestClient({
    restEndpoint: h.emulator.url,
    clusterId: h.emulator.clusterId,
    apiKey: "READONLYKEY",
    apiSecret: "readonly-secret",
    retry: fastRetryPolicy,
  });
  expect(await apiError(client.listLinks())).toMatchObject({ status: 403, errorCode: 40301, retriable: false });
});
