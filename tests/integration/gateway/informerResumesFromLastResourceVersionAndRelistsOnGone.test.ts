/**
 * The adapter's list + watch against a scripted API server: a watch the server ends resumes from the last
 * resourceVersion (a bookmark's included), an ERROR event with code 410 and an HTTP 410 both re-list, and a
 * re-list reports what changed meanwhile; the kubeconfig's token is sent on every request.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { KubeClient } from "../../../local/gateway";
import { Informer, type InformerEvent, type KubeObjectLike } from "../../../local/gateway/kubernetes/informer";
import { waitUntil } from "../helpers";

type Step = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const obj = (name: string, rv: number): KubeObjectLike => ({
  metadata: { name, uid: `uid-${name}`, resourceVersion: String(rv) },
});
const list =
  (rv: number, items: KubeObjectLike[]): Step =>
  (_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ kind: "SecretList", metadata: { resourceVersion: String(rv) }, items }));
  };
const watch =
  (events: unknown[], end: boolean): Step =>
  (_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
    for (const e of events) res.write(`${JSON.stringify(e)}\n`);
    if (end) res.end();
  };
const gone: Step = (_req, res) => {
  res.writeHead(410, { "Content-Type": "application/json" });
  res.end(
    JSON.stringify({
      kind: "Status",
      status: "Failure",
      reason: "Expired",
      code: 410,
      message: "too old resource version",
    }),
  );
};

let server: http.Server;
let dir: string;
const requests: { path: string; query: URLSearchParams; auth: string | undefined }[] = [];

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it("resumes after a clean end, re-lists on 410 (event or status) and reports the difference", async () => {
  const script: Step[] = [
    list(10, [obj("a", 5)]),
    watch(
      [
        { type: "MODIFIED", object: obj("a", 11) },
        { type: "BOOKMARK", object: { metadata: { resourceVersion: "15" } } },
      ],
      true,
    ),
    watch([{ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired", message: "too old" } }], false),
    list(20, [obj("b", 18)]),
    gone,
    list(21, [obj("b", 18), obj("c", 21)]),
    watch([], false),
  ];
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push({ path: url.pathname, query: url.searchParams, auth: req.headers.authorization });
    const step = script.shift();
    if (step) step(req, res);
    else res.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-informer-"));
  const kubeconfig = path.join(dir, "kubeconfig");
  fs.writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      "current-context: c",
      "clusters: [{name: k, cluster: {server: 'http://127.0.0.1:" + (server.address() as AddressInfo).port + "'}}]",
      "users: [{name: u, user: {token: t0k3n}}]",
      "contexts: [{name: c, context: {cluster: k, user: u, namespace: ns1}}]",
      "",
    ].join("\n"),
  );

  const client = new KubeClient(kubeconfig);
  expect(client.namespace).toBe("ns1");
  const informer = new Informer<KubeObjectLike>(client, "/api/v1/namespaces/ns1/secrets");
  const events: string[] = [];
  informer.subscribe((e: InformerEvent<KubeObjectLike>) =>
    events.push(`${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`),
  );
  informer.start();
  await informer.waitForSync();
  await waitUntil(() => script.length === 0, { timeoutMs: 10_000, what: "script consumed" });
  await waitUntil(() => events.length === 5, { timeoutMs: 5_000, what: "events" });
  await informer.stop();
  client.close();

  expect(events).toEqual(["ADDED a@5", "MODIFIED a@11", "DELETED a@11", "ADDED b@18", "ADDED c@21"]);
  expect(
    informer
      .list()
      .map((o) => o.metadata.name)
      .sort(),
  ).toEqual(["b", "c"]);
  const shape = requests.map((r) =>
    r.query.get("watch") === "true" ? `watch rv=${r.query.get("resourceVersion")}` : "list",
  );
  expect(shape).toEqual(["list", "watch rv=10", "watch rv=15", "list", "watch rv=20", "list", "watch rv=21"]);
  expect(requests.every((r) => r.auth === "Bearer t0k3n")).toBe(true);
  expect(
    requests.filter((r) => r.query.get("watch") === "true").every((r) => r.query.get("allowWatchBookmarks") === "true"),
  ).toBe(true);
});
