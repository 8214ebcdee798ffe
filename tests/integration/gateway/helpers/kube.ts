// Plain HTTP calls to a private Kubernetes API emulator, as the cutover tool and Pulumi make them: server-side
// apply of Gateway CRs under a field manager, Secrets with base64 `data`, and polling a CR's status.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { READY_CONDITION, type GatewayResource, type GatewaySpec, type GatewayStatus } from "../../../../local/gateway";
import { startKubernetesApi, type KubernetesApi } from "../../../../local/kubernetes";

export const NAMESPACE = "default";
const GATEWAYS = `/apis/platform.confluent.io/v1beta1/namespaces/${NAMESPACE}/gateways`;
const SECRETS = `/api/v1/namespaces/${NAMESPACE}/secrets`;

export type StoredGateway = GatewayResource & { metadata: { managedFields?: { manager: string }[] } };

export async function startPrivateKubernetes(): Promise<{
  api: KubernetesApi;
  stateDir: string;
  stop(): Promise<void>;
}> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-k8s-"));
  const api = await startKubernetesApi({ stateDir });
  return {
    api,
    stateDir,
    stop: async () => {
      await api.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

async function call<T>(
  api: KubernetesApi,
  method: string,
  p: string,
  body: string | undefined,
  contentType = "application/json",
): Promise<T> {
  const res = await fetch(api.url + p, {
    method,
    headers: { Authorization: `Bearer ${api.token}`, "Content-Type": contentType },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Server-side apply (YAML body) of a whole Gateway under `fieldManager`. */
export function applyGateway(
  api: KubernetesApi,
  name: string,
  spec: GatewaySpec,
  fieldManager: string,
  force = false,
): Promise<StoredGateway> {
  const body = stringify({
    apiVersion: "platform.confluent.io/v1beta1",
    kind: "Gateway",
    metadata: { name, namespace: NAMESPACE },
    spec,
  });
  const query = `fieldManager=${encodeURIComponent(fieldManager)}${force ? "&force=true" : ""}`;
  return call<StoredGateway>(api, "PATCH", `${GATEWAYS}/${name}?${query}`, body, "application/apply-patch+yaml");
}

export function getGateway(api: KubernetesApi, name: string): Promise<StoredGateway> {
  return call<StoredGateway>(api, "GET", `${GATEWAYS}/${name}`, undefined);
}

export async function deleteGateway(api: KubernetesApi, name: string): Promise<void> {
  await call<unknown>(api, "DELETE", `${GATEWAYS}/${name}`, undefined);
}

/** A Secret created with base64 `data`, as `kubectl create secret generic` sends it. */
export async function createSecret(api: KubernetesApi, name: string, values: Record<string, string>): Promise<void> {
  const data = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("base64")]),
  );
  await call<unknown>(
    api,
    "POST",
    SECRETS,
    JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name }, type: "Opaque", data }),
  );
}

/** Polls the CR until its status satisfies `accept`; returns the CR. */
export async function waitForStatus(
  api: KubernetesApi,
  name: string,
  accept: (status: GatewayStatus, cr: StoredGateway) => boolean,
  timeoutMs = 20_000,
  /** Also wait for the pods to serve an accepted config (the operator reports before they apply it). */
  settle = true,
): Promise<StoredGateway> {
  const deadline = Date.now() + timeoutMs;
  let last: StoredGateway | undefined;
  for (;;) {
    last = await getGateway(api, name).catch(() => undefined);
    if (last?.status && accept(last.status, last)) {
      // The operator reports a config reconciled before its pods apply it: wait for them before traffic.
      const accepted =
        ready(last.status).status === "True" && last.status.observedGeneration === last.metadata.generation;
      if (accepted && settle)
        await waitForPods(api, name, last.spec.configId ?? null, last.spec.replicas ?? 3, timeoutMs);
      return last;
    }
    if (Date.now() > deadline)
      throw new Error(
        `gateway ${name}: status not as expected within ${timeoutMs} ms: ${JSON.stringify(last?.status)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function ready(status: GatewayStatus): { status?: string; reason?: string; message?: string } {
  return status.conditions?.find((c) => c.type === READY_CONDITION) ?? {};
}

export interface PodConfig {
  name: string;
  ready: boolean;
  terminating: boolean;
  configId: string | null | undefined;
}

interface PodList {
  items: {
    metadata: { name: string; deletionTimestamp?: string };
    status?: { conditions?: { type: string; status: string }[] };
  }[];
}

/** Each pod of a Gateway (label app=<name>) and the configId it serves, read through the API server's pods proxy. */
export async function podConfigs(api: KubernetesApi, gateway: string): Promise<PodConfig[]> {
  const pods = await call<PodList>(
    api,
    "GET",
    `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=${encodeURIComponent(`app=${gateway}`)}`,
    undefined,
  );
  return Promise.all(
    pods.items.map(async (pod) => {
      const config = await call<{ configId: string | null }>(
        api,
        "GET",
        `/api/v1/namespaces/${NAMESPACE}/pods/${pod.metadata.name}:9180/proxy/config`,
        undefined,
      ).catch(() => undefined);
      return {
        name: pod.metadata.name,
        ready: pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
        terminating: pod.metadata.deletionTimestamp !== undefined,
        configId: config?.configId,
      };
    }),
  );
}

/** Waits until `replicas` Ready pods serve `configId` and none is terminating; returns them. */
export async function waitForPods(
  api: KubernetesApi,
  gateway: string,
  configId: string | null,
  replicas = 3,
  timeoutMs = 20_000,
): Promise<PodConfig[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pods = await podConfigs(api, gateway);
    const on = pods.filter((p) => p.ready && !p.terminating && p.configId === configId);
    if (on.length === replicas && pods.length === replicas) return pods;
    if (Date.now() > deadline)
      throw new Error(
        `gateway ${gateway}: pods not all on ${configId} within ${timeoutMs} ms: ${JSON.stringify(pods)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface StoredSecret {
  metadata: { name: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

export function getSecret(api: KubernetesApi, name: string): Promise<StoredSecret> {
  return call<StoredSecret>(api, "GET", `${SECRETS}/${name}`, undefined);
}

/** Replaces a Secret's data (PUT), as `kubectl apply` of a changed Secret ends up doing. */
export async function replaceSecret(api: KubernetesApi, name: string, values: Record<string, string>): Promise<void> {
  const data = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("base64")]),
  );
  await call<unknown>(
    api,
    "PUT",
    `${SECRETS}/${name}`,
    JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name }, type: "Opaque", data }),
  );
}

export async function deleteSecret(api: KubernetesApi, name: string): Promise<void> {
  await call<unknown>(api, "DELETE", `${SECRETS}/${name}`, undefined);
}
