/**
 * One time budget per step: the Kubernetes and Cluster Linking clients, retrying a 503 or waiting on an
 * API that does not answer, stop at the running step's deadline instead of spending their own attempts
 * (6 × up to 1 s of backoff, or a 10–30 s attempt timeout) after it; outside a step they retry as before.
 * A kafkajs call, which cannot be cancelled, is abandoned at the deadline too.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ClusterLinkRestClient } from "../../../clients/clusterLinkRest";
import { StepDeadlineExceeded, beforeDeadline, remainingMs, withinDeadline } from "../../../clients/deadline";
import { KubernetesClient } from "../../../clients/kubernetes";
import { defaultRetryPolicy, retrying, type ClassifiedError } from "../../../clients/retry";

/** What the fake API does with every request: answer 503 at once, or never answer. */
let behaviour: "503" | "hang" = "503";
let requests = 0;
let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    requests++;
    if (behaviour === "hang") return;
    res
      .writeHead(503, { "Content-Type": "application/json" })
      .end(JSON.stringify({ error_code: 503, reason: "ServiceUnavailable", message: "try later" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  requests = 0;
  behaviour = "503";
});

// The clients' production defaults: 6 attempts, 100 ms doubling to 1 s; 10 s (Kubernetes) and 30 s (REST) per attempt.
function kubernetes(): KubernetesClient {
  const kubeconfig = `
apiVersion: v1
kind: Config
current-context: c
clusters: [{name: k, cluster: {server: "${base}"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
`;
  return new KubernetesClient({ kubeconfig, retry: defaultRetryPolicy });
}

function rest(): ClusterLinkRestClient {
  return new ClusterLinkRestClient({ restEndpoint: base, clusterId: "lkc-1", apiKey: "k", apiSecret: "s" });
}

async function timed(fn: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const start = Date.now();
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - start };
}

const BUDGET_MS = 400;

describe.each([
  [
    "Kubernetes",
    (): Promise<unknown> => kubernetes().get("/apis/platform.confluent.io/v1beta1/namespaces/ns/gateways/gw"),
  ],
  ["Cluster Linking", (): Promise<unknown> => rest().getLink("link-1")],
])("the %s client", (_name, call) => {
  it("stops retrying a 503 at the step's deadline and says which step", async () => {
    const { error, ms } = await timed(() => withinDeadline("fence", Date.now() + BUDGET_MS, call));
    expect(error).toBeInstanceOf(StepDeadlineExceeded);
    expect((error as Error).message).toMatch(/stopped at the fence step's deadline \(last answer: .*503/);
    // The policy's own run waits ≥ 2 s between its 6 attempts (backoff 100 ms doubling to 1 s, −20 % jitter).
    expect(ms).toBeLessThan(1_900);
    expect(requests).toBeLessThan(defaultRetryPolicy.maxAttempts);
  });

  it("cuts an attempt the API never answers short at the step's deadline, not at its own 10–30 s timeout", async () => {
    behaviour = "hang";
    const { error, ms } = await timed(() => withinDeadline("switch", Date.now() + BUDGET_MS, call));
    expect(error).toBeInstanceOf(StepDeadlineExceeded);
    expect((error as Error).message).toMatch(/switch step's deadline/);
    expect(ms).toBeLessThan(5_000); // an attempt's own timeout is 10 s (Kubernetes) or 30 s (REST)
    expect(requests).toBe(1);
  });

  it("outside any step, spends every attempt of its policy", async () => {
    const { error } = await timed(call);
    expect(error).not.toBeInstanceOf(StepDeadlineExceeded);
    expect((error as Error).message).toMatch(/503/);
    expect(requests).toBe(defaultRetryPolicy.maxAttempts);
  });
});

describe("the budget", () => {
  it("is the earlier of a step's and the step around it", async () => {
    const outer = Date.now() + 1_000;
    await withinDeadline("outer", outer, () =>
      withinDeadline("inner", outer + 60_000, async () => {
        expect(remainingMs()).toBeLessThanOrEqual(1_000);
      }),
    );
    expect(remainingMs()).toBe(Infinity);
  });

  it("abandons a call that cannot be cancelled (a kafkajs request) at the deadline", async () => {
    const never = new Promise<string>(() => undefined);
    const { error, ms } = await timed(() =>
      withinDeadline("caught-up", Date.now() + 200, () => beforeDeadline("fetchTopicOffsets(t)", never)),
    );
    expect((error as Error).message).toBe("fetchTopicOffsets(t): stopped at the caught-up step's deadline");
    expect(ms).toBeLessThan(500);
  });

  it("passes a final error straight through, at its first attempt", async () => {
    let attempts = 0;
    const final = Object.assign(new Error("HTTP 403"), { retriable: false, noResponse: false }) as ClassifiedError;
    await expect(
      withinDeadline("fence", Date.now() + 5_000, () =>
        retrying(
          () => {
            attempts++;
            return Promise.reject(final);
          },
          { policy: defaultRetryPolicy, what: "GET /x", attemptTimeoutMs: 1_000 },
        ),
      ),
    ).rejects.toBe(final);
    expect(attempts).toBe(1);
  });
});
