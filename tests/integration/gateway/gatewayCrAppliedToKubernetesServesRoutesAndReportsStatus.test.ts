/**
 * The operator watching a (private) Kubernetes API emulator through its kubeconfig (https, token, CA):
 * a server-side-applied Gateway CR is served and reported (observedGeneration, Ready); a second field
 * manager's apply that fences the route holds kafkajs sends until its unfence apply; a CR whose Secret is
 * missing is ApplyFailed until the Secret (base64 data) is created.
 */
import { Kafka, logLevel } from "kafkajs";
import { startKubernetesGateway, type RunningKubernetesGateway } from "../../../local/gateway";
import { secretValues } from "../../../local/gateway";
import { gatewaySpec, registeredScramUsers, STORE, SWAP_SECRET, swapSecrets } from "./helpers/cr";
import { freePortBlock, kafkaPair, sourceEndOffset, type PairHandle } from "./helpers/env";
import {
  applyGateway,
  createSecret,
  getGateway,
  podConfigs,
  ready,
  startPrivateKubernetes,
  waitForStatus,
} from "./helpers/kube";

let pair: PairHandle;
let kube: Awaited<ReturnType<typeof startPrivateKubernetes>>;
let gateway: RunningKubernetesGateway;
const log: string[] = [];

beforeAll(async () => {
  pair = await kafkaPair();
  kube = await startPrivateKubernetes();
  gateway = await startKubernetesGateway({
    stateDir: pair.stateDir,
    kubeconfig: kube.api.kubeconfigPath,
    namespace: "default",
    // The fence-holding option (not the real Gateway's default): this test checks held sends complete on unfence.
    behaviour: { fence: { mode: "hold-then-answer", holdMs: 20_000 } },
    log: (m) => log.push(m),
  });
});

afterAll(async () => {
  await gateway?.stop();
  await kube?.stop();
  await pair?.stop();
});

const endOffset = (topic: string): Promise<number> => sourceEndOffset(pair, topic);

it("goes through the kubeconfig's https server with its CA, not the plain http port", () => {
  expect(gateway.controller.client.server).toBe(kube.api.httpsUrl);
});

it("serves an applied CR, reports it, and a second manager's fence holds sends until unfenced", async () => {
  const { api } = kube;
  const port = await freePortBlock(3);
  const route = { name: "app", port, domain: "source" as const };
  const created = await applyGateway(api, "gw", gatewaySpec(pair.endpoints, [route], "v1"), "pulumi");
  expect(created.metadata.generation).toBe(1);
  let cr = await waitForStatus(api, "gw", (s) => s.observedGeneration === 1);
  expect(cr.status).toMatchObject({ observedGeneration: 1, phase: "RUNNING" });
  expect((await podConfigs(api, "gw")).map((p) => p.configId)).toEqual(["v1", "v1", "v1"]);
  expect(ready(cr.status ?? {})).toMatchObject({ status: "True", reason: "Applied" });
  expect(gateway.controller.routes()).toMatchObject({
    app: { gateway: "gw", endpoint: `127.0.0.1:${port}`, domain: "source", fenced: false, generation: 1 },
  });

  const topic = `k8s-gw-${Date.now().toString(36)}`;
  const kafka = new Kafka({
    brokers: [`127.0.0.1:${port}`],
    sasl: { mechanism: "scram-sha-512", ...pair.endpoints.source.admin },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value: "before" }] });
    expect(await endOffset(topic)).toBe(1);

    // The cutover tool takes spec.routes over from pulumi (force), as a different field manager.
    const fenced = await applyGateway(
      api,
      "gw",
      gatewaySpec(pair.endpoints, [{ ...route, fenced: true }], "fence"),
      "kafka-cutover",
      true,
    );
    expect(fenced.metadata.generation).toBe(2);
    expect(fenced.metadata.managedFields?.map((m) => m.manager)).toContain("kafka-cutover");
    cr = await waitForStatus(api, "gw", (s) => s.observedGeneration === 2);
    expect((await podConfigs(api, "gw")).map((p) => p.configId)).toEqual(["fence", "fence", "fence"]);
    expect(ready(cr.status ?? {}).status).toBe("True");
    expect(gateway.controller.routes().app).toMatchObject({ fenced: true, generation: 2 });

    let outcome: "pending" | "ok" | "failed" = "pending";
    const sending = producer.send({ topic, messages: [{ value: "during" }] }).then(
      () => void (outcome = "ok"),
      () => void (outcome = "failed"),
    );
    await new Promise((r) => setTimeout(r, 3_000));
    expect(outcome).toBe("pending");
    expect(await endOffset(topic)).toBe(1);

    await applyGateway(api, "gw", gatewaySpec(pair.endpoints, [route], "unfence"), "kafka-cutover");
    cr = await waitForStatus(api, "gw", (s) => s.observedGeneration === 3);
    expect((await podConfigs(api, "gw")).map((p) => p.configId)).toEqual(["unfence", "unfence", "unfence"]);
    await sending;
    expect(outcome).toBe("ok");
    expect(await endOffset(topic)).toBe(2);
    expect(gateway.controller.routes().app).toMatchObject({ fenced: false, generation: 3 });
  } finally {
    await producer.disconnect();
  }
});

it("reports ApplyFailed for a missing Secret and becomes Ready once the Secret is created", async () => {
  const { api } = kube;
  const { destination } = pair.endpoints;
  const port = await freePortBlock(3);
  await applyGateway(
    api,
    "gw-swap",
    gatewaySpec(pair.endpoints, [{ name: "swap", port, domain: "destination", auth: "swap" }], "swap-1"),
    "pulumi",
  );
  let cr = await waitForStatus(api, "gw-swap", (s) => s.observedGeneration === 1);
  expect(cr.status).toMatchObject({ phase: "FAILED" });
  expect(ready(cr.status ?? {})).toMatchObject({ status: "False", reason: "ApplyFailed" });
  expect(ready(cr.status ?? {}).message).toContain(`secretRef ${SWAP_SECRET} of secretStore ${STORE} not found`);
  expect(gateway.controller.routes().swap).toBeUndefined();

  const password = "client-secret";
  // The verifiers first (an earlier registration), then the Secrets the CR references.
  const verifiers = registeredScramUsers({ "app-user": password });
  await createSecret(api, verifiers.metadata.name, secretValues(verifiers));
  for (const s of swapSecrets({ "app-user": { apiKey: destination.apiKey, apiSecret: destination.apiSecret } }))
    await createSecret(api, s.metadata.name, secretValues(s));
  cr = await waitForStatus(api, "gw-swap", (s) => ready(s).status === "True");
  expect(cr.status).toMatchObject({ observedGeneration: 1, phase: "RUNNING" });
  expect((await podConfigs(api, "gw-swap")).map((p) => p.configId)).toEqual(["swap-1", "swap-1", "swap-1"]);
  expect((await getGateway(api, "gw-swap")).metadata.generation).toBe(1);

  // The Secrets' base64 data decoded: SCRAM in against the registered verifier, the store's API key out.
  const kafka = new Kafka({
    brokers: [`127.0.0.1:${port}`],
    sasl: { mechanism: "scram-sha-512", username: "app-user", password },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toHaveLength(1);
    for (const b of cluster.brokers) expect(`${b.host}:${b.port}`).toBe(`127.0.0.1:${port + 1 + b.nodeId}`);
  } finally {
    await admin.disconnect();
  }
});
