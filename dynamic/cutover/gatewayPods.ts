/**
 * Whether the Gateway serves a config: not what the CR says, but what its pods answer. The operator moves
 * `status.observedGeneration` once it has reconciled, before any pod reloads; each pod hot-reloads on its
 * own, or the Deployment rolls and old pods keep serving their open connections while they terminate. So a
 * change counts as applied only when the CR is accepted at its generation, the Deployment has rolled out,
 * no pod is terminating, and every Ready pod reports the change's `configId` on its own `GET :9180/config`.
 */
import { randomBytes } from "crypto";
import type { KubeObject, KubernetesClient } from "../../clients/kubernetes";
import { GATEWAY_API_VERSION, GATEWAY_PLURAL } from "../../components/gatewaySpec";

/** The calls this needs (KubernetesClient has them; unit tests give a fake). */
export type GatewayApi = Pick<KubernetesClient, "get" | "apply" | "list" | "getThroughPodProxy">;

/** The Gateway container's admin port, where `GET /config` answers `{configId, appliedAt}` (Gateway ≥ 1.3.0). */
export const GATEWAY_ADMIN_PORT = 9180;

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface GatewayCr extends KubeObject {
  spec?: Record<string, unknown> & { configId?: string; replicas?: number; hotReload?: { enabled?: boolean } };
  status?: { observedGeneration?: number; conditions?: Condition[] };
}

interface DeploymentObject extends KubeObject {
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
  };
}

interface PodObject extends KubeObject {
  metadata: KubeObject["metadata"] & { deletionTimestamp?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

export interface PodView {
  readonly name: string;
  readonly ready: boolean;
  /** Has a deletionTimestamp: no new connections, but its open ones still get its old config. */
  readonly terminating: boolean;
  /** What a Ready, live pod reports: the configId it serves, or why it could not be asked. */
  readonly serves?: { readonly configId: string | null } | { readonly unreachable: string };
}

/** One look at the Gateway: the CR's acceptance, the Deployment's rollout, and every pod. */
export interface GatewayLook {
  readonly generation: number;
  readonly observedGeneration?: number;
  /** The CR's `spec.configId`. */
  readonly configId?: string;
  /** A False condition whose reason ends in Failed: the operator refused the config. */
  readonly rejected?: { readonly reason: string; readonly message: string };
  /** `spec.hotReload.enabled`; unset when the CR does not say. */
  readonly hotReload?: boolean;
  readonly deployment?: { readonly complete: boolean; readonly detail: string };
  readonly pods: readonly PodView[];
}

/** The change a step waits for: a generation the apply produced and the configId it carried. */
export interface Wanted {
  readonly generation: number;
  readonly configId: string | null;
}

export type Verdict =
  | { readonly applied: true; readonly summary: string }
  | {
      readonly applied: false;
      readonly rejected?: string;
      readonly behind: readonly string[];
      readonly summary: string;
    };

/** Reads the CR, the Deployment, the pods, and asks each Ready pod what it serves. Undefined: no CR. */
export async function lookAtGateway(
  api: GatewayApi,
  namespace: string,
  name: string,
): Promise<GatewayLook | undefined> {
  const cr = await api.get<GatewayCr>(`/apis/${GATEWAY_API_VERSION}/namespaces/${namespace}/${GATEWAY_PLURAL}/${name}`);
  if (!cr) return undefined;
  const [deployment, pods] = await Promise.all([
    api.get<DeploymentObject>(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`),
    api.list<PodObject>(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: `app=${name}` }),
  ]);
  const views = await Promise.all(pods.map((p) => podView(api, namespace, p)));
  const rejected = rejection(cr);
  const hotReload = cr.spec?.hotReload?.enabled;
  return {
    generation: cr.metadata.generation ?? 0,
    ...(cr.status?.observedGeneration !== undefined ? { observedGeneration: cr.status.observedGeneration } : {}),
    ...(cr.spec?.configId !== undefined ? { configId: cr.spec.configId } : {}),
    ...(rejected ? { rejected } : {}),
    ...(typeof hotReload === "boolean" ? { hotReload } : {}),
    ...(deployment ? { deployment: rollout(deployment) } : {}),
    pods: views.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The operator's refusal, as KCP and the operator report it: a False condition whose reason ends in Failed. */
export function rejection(cr: GatewayCr): { reason: string; message: string } | undefined {
  const c = cr.status?.conditions?.find((x) => x.status === "False" && /Failed$/.test(x.reason ?? ""));
  return c ? { reason: c.reason ?? "", message: c.message ?? "" } : undefined;
}

/** kubectl rollout status's rule: observed, every replica updated, and every updated one available. */
function rollout(d: DeploymentObject): { complete: boolean; detail: string } {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const updated = s.updatedReplicas ?? 0;
  const complete =
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    updated === want &&
    (s.replicas ?? 0) === updated &&
    (s.availableReplicas ?? 0) === updated;
  return {
    complete,
    detail: `Deployment ${d.metadata.name} rolling out: ${updated}/${want} replicas updated, ${s.availableReplicas ?? 0} available, ${s.replicas ?? 0} in total (generation ${d.metadata.generation ?? 0}, observed ${s.observedGeneration ?? 0})`,
  };
}

async function podView(api: GatewayApi, namespace: string, pod: PodObject): Promise<PodView> {
  const name = pod.metadata.name;
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const ready = pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
  if (!ready || terminating) return { name, ready, terminating };
  const answer = await api.getThroughPodProxy<{ configId?: unknown }>(namespace, name, GATEWAY_ADMIN_PORT, "config");
  if (!answer.reachable) return { name, ready, terminating, serves: { unreachable: answer.reason } };
  const id = answer.body?.configId;
  if (id !== null && typeof id !== "string")
    return { name, ready, terminating, serves: { unreachable: "GET /config answered without a configId field" } };
  return { name, ready, terminating, serves: { configId: id } };
}

/**
 * Whether `look` shows `want` applied by the Gateway's pods; when not, every reason, one per line-part:
 * "pod gw-7d9f-abcde serves kc-… (not kc-…)", "pod gw-…-xyz unreachable: …".
 */
export function judge(look: GatewayLook, want: Wanted): Verdict {
  const behind: string[] = [];
  const observed = look.observedGeneration ?? 0;
  const reconciled = observed >= want.generation;
  if (reconciled && look.rejected) {
    return {
      applied: false,
      rejected: `the Gateway rejected generation ${want.generation}: ${look.rejected.reason}: ${look.rejected.message}`,
      behind: [],
      summary: "rejected",
    };
  }
  if (!reconciled)
    behind.push(
      `the operator has not reconciled generation ${want.generation} yet (observed ${look.observedGeneration ?? "none"})`,
    );
  if (!look.deployment) behind.push("the Gateway's Deployment was not found");
  else if (!look.deployment.complete) behind.push(look.deployment.detail);
  const ready = look.pods.filter((p) => p.ready && !p.terminating);
  const on = ready.filter((p) => p.serves && "configId" in p.serves && p.serves.configId === want.configId);
  for (const p of look.pods) {
    if (p.terminating)
      behind.push(`pod ${p.name} is terminating and still serves its open connections with its old config`);
    else if (!p.ready)
      continue; // gets no traffic; the Deployment's rollout covers it
    else if (p.serves && "unreachable" in p.serves) behind.push(`pod ${p.name} unreachable: ${p.serves.unreachable}`);
    else if (p.serves && p.serves.configId !== want.configId)
      behind.push(`pod ${p.name} serves ${p.serves.configId ?? "no configId"} (not ${want.configId ?? "none"})`);
  }
  if (ready.length === 0) behind.push("no pod of the Gateway is Ready");
  const summary = `${on.length}/${look.pods.length} pods on ${want.configId ?? "no configId"}`;
  return behind.length === 0 ? { applied: true, summary } : { applied: false, behind, summary };
}

/** A fresh `spec.configId` (CRD: at most 64 characters of `[a-zA-Z0-9._:-]`). */
export function newConfigId(): string {
  return `kc-${randomBytes(12).toString("hex")}`;
}

/**
 * TEST-ONLY seams, never for a real cutover: `KAFKA_CUTOVER_UNSAFE_TEST_SEAMS` is a comma-separated list.
 * `skip-pod-confirmation` makes a change count as applied on `status.observedGeneration` alone (the old,
 * unsafe behaviour), so a fault test can show that the per-pod confirmation is what keeps records safe.
 */
export function unsafeTestSeam(name: "skip-pod-confirmation"): boolean {
  return (process.env.KAFKA_CUTOVER_UNSAFE_TEST_SEAMS ?? "")
    .split(",")
    .map((s) => s.trim())
    .includes(name);
}
