/**
 * The Kubernetes client lists with a label selector, and asks a pod through the API server's pods proxy: a
 * 5xx or a pod gone is "unreachable" (data for the caller), a refused permission throws.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { KubernetesClient, KubernetesApiError } from "../../../clients/kubernetes";
import { fastRetryPolicy } from "../../../clients/retry";

type Answer = { status: number; body?: unknown };

let server: http.Server;
let base = "";
const urls: string[] = [];
let answer: (url: string) => Answer = () => ({ status: 500 });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    urls.push(req.url ?? "");
    const a = answer(req.url ?? "");
    res.writeHead(a.status, { "Content-Type": "application/json" }).end(JSON.stringify(a.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => urls.splice(0));

function client(): KubernetesClient {
  const kubeconfig = `
apiVersion: v1
kind: Config
current-context: c
clusters: [{name: k, cluster: {server: "${base}"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
`;
  return new KubernetesClient({ kubeconfig, timeoutMs: 2_000, retry: fastRetryPolicy });
}

it("lists pods with the label selector in the query and returns the items", async () => {
  answer = () => ({ status: 200, body: { kind: "PodList", items: [{ metadata: { name: "gw-1" } }] } });
  const pods = await client().list("/api/v1/namespaces/ns/pods", { labelSelector: "app=gw" });
  expect(pods.map((p) => p.metadata.name)).toEqual(["gw-1"]);
  expect(urls).toEqual(["/api/v1/namespaces/ns/pods?labelSelector=app%3Dgw"]);
});

it("asks a pod through the pods proxy on its port", async () => {
  answer = () => ({ status: 200, body: { configId: "kc-1", appliedAt: "2024-01-01T00:00:00Z" } });
  const got = await client().getThroughPodProxy<{ configId: string }>("ns", "gw-1", 9180, "config");
  expect(got).toEqual({ reachable: true, body: { configId: "kc-1", appliedAt: "2024-01-01T00:00:00Z" } });
  expect(urls).toEqual(["/api/v1/namespaces/ns/pods/gw-1:9180/proxy/config"]);
});

it("reports a pod the proxy cannot reach (503) as unreachable, after the client's retries, without throwing", async () => {
  answer = () => ({ status: 503, body: { reason: "ServiceUnavailable", message: "no endpoints" } });
  const got = await client().getThroughPodProxy("ns", "gw-1", 9180, "config");
  expect(got).toMatchObject({ reachable: false, reason: expect.stringMatching(/HTTP 503 ServiceUnavailable/) });
  expect(urls).toHaveLength(fastRetryPolicy.maxAttempts);
});

it("reports a pod gone (404) as unreachable", async () => {
  answer = () => ({ status: 404 });
  await expect(client().getThroughPodProxy("ns", "gw-1", 9180, "config")).resolves.toMatchObject({
    reachable: false,
  });
});

it("throws when the identity may not use the pods proxy: no retry makes that pass", async () => {
  answer = () => ({ status: 403, body: { reason: "Forbidden", message: "cannot get pods/proxy" } });
  await expect(client().getThroughPodProxy("ns", "gw-1", 9180, "config")).rejects.toBeInstanceOf(KubernetesApiError);
});
