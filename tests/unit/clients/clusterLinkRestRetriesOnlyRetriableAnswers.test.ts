/**
 * The Cluster Linking REST client retries only retriable answers (429, 5xx with 50003, 502/503/504,
 * refused connections), with capped exponential backoff; it gives up after the last attempt with that
 * attempt's error, times out slow calls, follows `metadata.next`, returns per-topic action errors as
 * data, and its errors carry status and error_code but never the credentials.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ClusterLinkApiError, ClusterLinkRestClient, fastRetryPolicy } from "../../../clients/clusterLinkRest";
import { backoffMs, defaultRetryPolicy } from "../../../clients/retry";

type Answer = { status: number; body?: unknown; html?: string; delayMs?: number };

interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

class FakeServer {
  readonly requests: Recorded[] = [];
  private answers: Answer[] = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      this.requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString(),
      });
      const answer = this.answers.shift() ?? { status: 500, body: { error_code: 500, message: "no answer queued" } };
      const send = (): void => {
        if (answer.html !== undefined) res.writeHead(answer.status, { "Content-Type": "text/html" }).end(answer.html);
        else if (answer.body === undefined) res.writeHead(answer.status).end();
        else res.writeHead(answer.status, { "Content-Type": "application/json" }).end(JSON.stringify(answer.body));
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  url = "";

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  queue(...answers: Answer[]): void {
    this.answers.push(...answers);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const SECRET = "s3cr3t-api-secret-value";
const server = new FakeServer();
let rest: ClusterLinkRestClient;

beforeAll(async () => {
  await server.start();
  rest = new ClusterLinkRestClient({
    restEndpoint: server.url,
    clusterId: "lkc-abc123",
    apiKey: "KEY1",
    apiSecret: SECRET,
    retry: fastRetryPolicy,
    timeoutMs: 2_000,
  });
});
afterAll(() => server.stop());
beforeEach(() => {
  server.requests.length = 0;
});

const link = {
  kind: "KafkaLinkData",
  metadata: { self: "x" },
  link_name: "l1",
  cluster_link_id: "id",
  topic_names: [],
  link_state: "ACTIVE",
  link_error: "NO_ERROR",
};

async function caught(promise: Promise<unknown>): Promise<ClusterLinkApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ClusterLinkApiError) return err;
    throw err;
  }
  throw new Error("expected a ClusterLinkApiError");
}

it("retries a 429 (HTML body) and a 503/50003, then succeeds, sending Basic auth each time", async () => {
  server.queue(
    { status: 429, html: "<html>429 Too Many Requests</html>" },
    { status: 503, body: { error_code: 50003, message: "retriable" } },
    { status: 200, body: link },
  );
  await expect(rest.getLink("l1")).resolves.toMatchObject({ link_name: "l1" });
  expect(server.requests.map((r) => r.url)).toEqual(Array(3).fill("/kafka/v3/clusters/lkc-abc123/links/l1"));
  expect(server.requests[0].authorization).toBe(`Basic ${Buffer.from(`KEY1:${SECRET}`).toString("base64")}`);
});

it("retries a 500 only when its error_code is 50003", async () => {
  server.queue({ status: 500, body: { error_code: 500, message: "boom" } });
  expect(await caught(rest.getLink("l1"))).toMatchObject({
    status: 500,
    errorCode: 500,
    retriable: false,
    attempts: 1,
  });
  server.queue({ status: 500, body: { error_code: 50003, message: "again" } }, { status: 200, body: link });
  await expect(rest.getLink("l1")).resolves.toMatchObject({ link_name: "l1" });
});

it.each([
  [400, 40002],
  [401, 40101],
  [403, 40301],
  [404, 404],
])("does not retry HTTP %i", async (status, code) => {
  server.queue({ status, body: { error_code: code, message: `no (${code})` } });
  const err = await caught(rest.getLink("l1"));
  expect(err).toMatchObject({
    status,
    errorCode: code,
    retriable: false,
    attempts: 1,
    method: "GET",
    path: "/kafka/v3/clusters/lkc-abc123/links/l1",
    detail: `no (${code})`,
  });
  expect(server.requests).toHaveLength(1);
});

it("gives up after maxAttempts with the last error", async () => {
  server.queue(
    { status: 503, body: { error_code: 50003, message: "first" } },
    { status: 429, html: "<html/>" },
    { status: 502, body: { error_code: 502, message: "third" } },
    { status: 504, body: { error_code: 504, message: "last" } },
  );
  const err = await caught(rest.listLinks());
  expect(server.requests).toHaveLength(fastRetryPolicy.maxAttempts);
  expect(err).toMatchObject({ status: 504, errorCode: 504, detail: "last", retriable: true, attempts: 4 });
});

it("times out a call that does not answer in time, without retrying it", async () => {
  // The answer would come at 8 s: an error at all proves the client gave up first (timers run late on a busy machine).
  server.queue({ status: 200, body: link, delayMs: 8_000 });
  const started = Date.now();
  const err = await caught(rest.getLink("l1"));
  expect(err).toMatchObject({ status: undefined, retriable: false });
  expect(err.detail).toMatch(/timed out after 2000 ms/);
  expect(Date.now() - started).toBeLessThan(6_000);
});

it("retries a refused connection within its window, then reports it", async () => {
  const closed = new ClusterLinkRestClient({
    restEndpoint: "http://127.0.0.1:1",
    clusterId: "lkc-abc123",
    apiKey: "KEY1",
    apiSecret: SECRET,
    retry: fastRetryPolicy,
  });
  const err = await caught(closed.listLinks());
  expect(err).toMatchObject({ status: undefined, retriable: true, attempts: fastRetryPolicy.maxAttempts });
  expect(err.detail).toContain("ECONNREFUSED");
});

it("follows metadata.next across pages", async () => {
  const page = (names: string[], next: string | null) => ({
    status: 200,
    body: {
      kind: "KafkaMirrorDataList",
      metadata: { self: "s", next },
      data: names.map((n) => ({ mirror_topic_name: n })),
    },
  });
  server.queue(
    page(["a", "b"], `${server.url}/kafka/v3/clusters/lkc-abc123/links/l1/mirrors?page_token=2`),
    page(["c"], `${server.url}/kafka/v3/clusters/lkc-abc123/links/l1/mirrors?page_token=3`),
    page(["d"], null),
  );
  const mirrors = await rest.listMirrors("l1", { mirrorStatus: "ACTIVE" });
  expect(mirrors.map((m) => m.mirror_topic_name)).toEqual(["a", "b", "c", "d"]);
  expect(server.requests.map((r) => r.url)).toEqual([
    "/kafka/v3/clusters/lkc-abc123/links/l1/mirrors?mirror_status=ACTIVE",
    "/kafka/v3/clusters/lkc-abc123/links/l1/mirrors?page_token=2",
    "/kafka/v3/clusters/lkc-abc123/links/l1/mirrors?page_token=3",
  ]);
});

it("refuses to follow metadata.next to another host (the credentials would go with it)", async () => {
  server.queue({
    status: 200,
    body: { kind: "KafkaLinkDataList", metadata: { self: "s", next: "http://evil.example:9/steal" }, data: [] },
  });
  const err = await caught(rest.listLinks());
  expect(err.detail).toMatch(/another host/);
  expect(server.requests).toHaveLength(1);
});

it("returns per-topic action errors inside a 200 as data", async () => {
  server.queue({
    status: 200,
    body: {
      kind: "KafkaPromoteMirror",
      metadata: { self: "s" },
      data: [
        { kind: "AlterMirrorsData", mirror_topic_name: "t1", error_code: null, error_message: null, mirror_lags: [] },
        {
          kind: "AlterMirrorsData",
          mirror_topic_name: "t2",
          error_code: 400,
          error_message: "Topic 't2' has already stopped its mirror from 'l1'",
          mirror_lags: [],
        },
      ],
    },
  });
  const results = await rest.promoteMirrors("l1", { mirror_topic_names: ["t1", "t2"] }, { validateOnly: true });
  expect(results.map((r) => r.error_code)).toEqual([null, 400]);
  expect(server.requests[0]).toMatchObject({
    method: "POST",
    url: "/kafka/v3/clusters/lkc-abc123/links/l1/mirrors:promote?validate_only=true",
  });
  expect(JSON.parse(server.requests[0].body)).toEqual({ mirror_topic_names: ["t1", "t2"] });
});

it("sends create-link, config and mirror requests in the API's shapes", async () => {
  server.queue({ status: 204 }, { status: 204 }, { status: 204 }, { status: 204 }, { status: 200 });
  await rest.createLink(
    "l 1",
    { source_cluster_id: "src", configs: [{ name: "bootstrap.servers", value: "b:9092" }] },
    { validateLink: false },
  );
  await rest.setLinkConfig("l 1", "consumer.offset.sync.ms", "1000");
  await rest.alterLinkConfigs("l 1", [{ name: "consumer.offset.sync.enable", operation: "DELETE" }]);
  await rest.createMirror("l 1", { source_topic_name: "t" });
  await rest.deleteLink("l 1", { force: true });
  expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
    "POST /kafka/v3/clusters/lkc-abc123/links?link_name=l+1&validate_link=false",
    "PUT /kafka/v3/clusters/lkc-abc123/links/l%201/configs/consumer.offset.sync.ms",
    "PUT /kafka/v3/clusters/lkc-abc123/links/l%201/configs:alter",
    "POST /kafka/v3/clusters/lkc-abc123/links/l%201/mirrors",
    "DELETE /kafka/v3/clusters/lkc-abc123/links/l%201?force=true",
  ]);
  expect(JSON.parse(server.requests[1].body)).toEqual({ value: "1000" });
});

it("errors carry status and error_code but never the API secret or the Authorization header", async () => {
  server.queue({ status: 401, body: { error_code: 40101, message: "Authentication failed" } });
  const err = await caught(rest.getLink("l1"));
  const everything = `${err.message} ${err.stack ?? ""} ${JSON.stringify(err)} ${JSON.stringify(Object.entries(err))}`;
  expect(everything).not.toContain(SECRET);
  expect(everything).not.toContain(Buffer.from(`KEY1:${SECRET}`).toString("base64"));
  expect(err.cause).toBeUndefined();
});

it("backs off exponentially from the initial wait, ±20 % jitter, capped at the maximum", () => {
  const low = () => 0;
  const high = () => 1;
  expect([0, 1, 2, 3, 4].map((n) => backoffMs(defaultRetryPolicy, n, low))).toEqual([80, 160, 320, 640, 1000]);
  expect([0, 1, 2, 3].map((n) => backoffMs(defaultRetryPolicy, n, high))).toEqual([120, 240, 480, 960]);
  expect(backoffMs(defaultRetryPolicy, 10)).toBe(1000);
});
