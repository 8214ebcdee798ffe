/**
 * The Gateway as it really runs (local/gateway/README.md, Fidelity): three pods that each apply a change on
 * their own, an operator that reports observedGeneration before they have, a fence answered at once with its
 * error code, and a pod roll whose old pods keep serving while they drain. Seen as the cutover sees it: through
 * the Kubernetes API (Deployment, Pods, each pod's GET :9180/config through the pods proxy).
 */
import { Kafka, logLevel, type Producer } from "kafkajs";
import { startKubernetesGateway, type RunningKubernetesGateway } from "../../../local/gateway";
import { kafkajsConfig } from "../../../local/kafka";
import { gatewaySpec } from "./helpers/cr";
import { freePortBlock, kafkaPair, sourceEndOffset, type PairHandle } from "./helpers/env";
import { applyGateway, podConfigs, startPrivateKubernetes, waitForPods, waitForStatus } from "./helpers/kube";

let pair: PairHandle;
let kube: Awaited<ReturnType<typeof startPrivateKubernetes>>;
let gateway: RunningKubernetesGateway;

beforeAll(async () => {
  pair = await kafkaPair();
  kube = await startPrivateKubernetes();
  gateway = await startKubernetesGateway({
    stateDir: pair.stateDir,
    kubeconfig: kube.api.kubeconfigPath,
    namespace: "default",
    // Faithful in everything but the drain, shortened so the roll test ends in seconds rather than 30 s.
    behaviour: { drainMs: 3_000 },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await kube?.stop();
  await pair?.stop();
});

const endOffset = (topic: string): Promise<number> => sourceEndOffset(pair, topic);

async function createTopic(topic: string): Promise<void> {
  const admin = new Kafka(kafkajsConfig(pair.endpoints.source)).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** A producer that does not retry, so what the route answers is what the send reports. */
function producerThrough(port: number): Producer {
  return new Kafka({
    brokers: [`127.0.0.1:${port}`],
    sasl: { mechanism: "scram-sha-512", ...pair.endpoints.source.admin },
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).producer();
}

/** The Kafka error a send failed with, unwrapped from kafkajs's retry wrapper. */
function kafkaErrorType(err: unknown): string {
  const e = err as { type?: string; name?: string; originalError?: { type?: string }; cause?: { type?: string } };
  return e.type ?? e.originalError?.type ?? e.cause?.type ?? e.name ?? "unknown";
}

async function get<T>(path: string): Promise<T> {
  const res = await fetch(kube.api.url + path, { headers: { Authorization: `Bearer ${kube.api.token}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Deployment {
  metadata: { generation: number };
  spec: { replicas: number };
  status: { observedGeneration: number; replicas: number; updatedReplicas: number; availableReplicas: number };
}

const deployment = (name: string): Promise<Deployment> =>
  get<Deployment>(`/apis/apps/v1/namespaces/default/deployments/${name}`);

it("reports a change reconciled before every pod serves it, and a pod that lags serves the old config meanwhile", async () => {
  const { api } = kube;
  const port = await freePortBlock(3);
  const route = { name: "app", port, domain: "source" as const };
  await applyGateway(api, "gw-lag", gatewaySpec(pair.endpoints, [route], "v1"), "pulumi");
  await waitForStatus(api, "gw-lag", (s) => s.observedGeneration === 1);
  expect(await deployment("gw-lag")).toMatchObject({
    spec: { replicas: 3 },
    status: { replicas: 3, updatedReplicas: 3, availableReplicas: 3 },
  });

  // Two of the three pods reload late: a client whose connections all land on them still writes to the source.
  gateway.controller.setFaults({ podLagMs: [3_000, 3_000] });
  try {
    await applyGateway(api, "gw-lag", gatewaySpec(pair.endpoints, [{ ...route, fenced: true }], "fence"), "pulumi");
    await waitForStatus(api, "gw-lag", (s) => s.observedGeneration === 2, 10_000, false);
    // The operator has reconciled; a second later one pod is fenced and two still lead to the source, unfenced.
    await new Promise((r) => setTimeout(r, 1_000));
    const pods = await podConfigs(api, "gw-lag");
    expect(pods.map((p) => p.configId).sort()).toEqual(["fence", "v1", "v1"]);
    expect(gateway.controller.routes().app).toMatchObject({ domain: "source", fenced: false });

    // Clients reaching the lagging pod still write to the source: what per-pod confirmation guards against.
    const topic = `lag-${Date.now().toString(36)}`;
    await createTopic(topic);
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const producer = producerThrough(port);
      try {
        await producer.connect();
        await producer.send({ topic, messages: [{ value: `m${i}` }] });
        outcomes.push("acked");
      } catch (err) {
        outcomes.push(kafkaErrorType(err));
      } finally {
        await producer.disconnect().catch(() => undefined);
      }
    }
    expect(outcomes).toContain("acked");
    expect(outcomes.some((o) => o !== "acked")).toBe(true);
    expect(await endOffset(topic)).toBe(outcomes.filter((o) => o === "acked").length);

    await waitForPods(api, "gw-lag", "fence", 3, 10_000);
    expect(gateway.controller.routes().app).toMatchObject({ domain: "source", fenced: true });
  } finally {
    gateway.controller.setFaults({});
  }
});

it("answers every request on a fenced route at once with the fence's error code, and nothing reaches the broker", async () => {
  const { api } = kube;
  const port = await freePortBlock(3);
  const route = { name: "app", port, domain: "source" as const };
  const topic = `fenced-${Date.now().toString(36)}`;
  await createTopic(topic);
  await applyGateway(api, "gw-fence", gatewaySpec(pair.endpoints, [route], "open"), "pulumi");
  await waitForStatus(api, "gw-fence", (s) => s.observedGeneration === 1);
  const producer = producerThrough(port);
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value: "before" }] });
    const fenced = { ...gatewaySpec(pair.endpoints, [{ ...route, fenced: true }], "fenced") };
    fenced.routes = fenced.routes?.map((r) => ({
      ...r,
      fence: { scope: "ALL", errorCode: "COORDINATOR_NOT_AVAILABLE" },
    }));
    await applyGateway(api, "gw-fence", fenced, "pulumi");
    await waitForStatus(api, "gw-fence", (s) => s.observedGeneration === 2);

    const started = Date.now();
    const error = await producer.send({ topic, messages: [{ value: "during" }] }).then(
      () => "acked",
      (err: unknown) => kafkaErrorType(err),
    );
    expect(error).toBe("GROUP_COORDINATOR_NOT_AVAILABLE");
    // Answered, not held: well under any client timeout.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await endOffset(topic)).toBe(1);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
});

it("rolls the pods when hot reload is off as a Deployment does: one new pod at a time, each old pod draining with the old config once a new one is Ready", async () => {
  const { api } = kube;
  const port = await freePortBlock(3);
  const route = { name: "app", port, domain: "source" as const };
  const spec = (configId: string): ReturnType<typeof gatewaySpec> => ({
    ...gatewaySpec(pair.endpoints, [route], configId),
    hotReload: { enabled: false },
  });
  await applyGateway(api, "gw-roll", spec("r1"), "pulumi");
  await waitForStatus(api, "gw-roll", (s) => s.observedGeneration === 1);
  const before = (await podConfigs(api, "gw-roll")).map((p) => p.name).sort();
  const generation = (await deployment("gw-roll")).metadata.generation;

  await applyGateway(api, "gw-roll", spec("r2"), "pulumi");
  // Watch the roll as kubectl would, until no r1 pod is left in service.
  const samples: Awaited<ReturnType<typeof podConfigs>>[] = [];
  const deadline = Date.now() + 20_000;
  for (;;) {
    const pods = await podConfigs(api, "gw-roll");
    samples.push(pods);
    if (pods.filter((p) => before.includes(p.name) && !p.terminating).length === 0) break;
    if (Date.now() > deadline) throw new Error(`the roll did not finish: ${JSON.stringify(pods)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const serving = (pods: (typeof samples)[number]) => pods.filter((p) => !p.terminating);
  // maxSurge 1: never more than one pod above the replica count takes connections.
  expect(Math.max(...samples.map((pods) => serving(pods).length))).toBeLessThanOrEqual(4);
  // Both revisions in service at once: a Ready r2 pod beside an old pod still taking connections with r1.
  expect(
    samples.some(
      (pods) =>
        serving(pods).some((p) => p.ready && p.configId === "r2") &&
        serving(pods).some((p) => before.includes(p.name) && p.configId === "r1"),
    ),
  ).toBe(true);
  // Old pods go one at a time, and answer with the old config while they drain.
  expect(samples.some((pods) => pods.filter((p) => p.terminating).length === 1)).toBe(true);
  const drained = samples.flat().filter((p) => p.terminating && p.configId !== undefined);
  expect(drained.length).toBeGreaterThan(0);
  expect(drained.every((p) => before.includes(p.name) && p.configId === "r1")).toBe(true);
  const rolled = await deployment("gw-roll");
  expect(rolled.metadata.generation).toBeGreaterThan(generation);

  const after = await waitForPods(api, "gw-roll", "r2", 3, 20_000);
  expect(after.some((p) => before.includes(p.name))).toBe(false);
});
