import type { DataPlaneSnapshot, PodView } from "../proxy/gateway";
import { KubeApiError, type KubeClient } from "./client";

/** The finalizer that keeps a terminating pod listed (with `deletionTimestamp`) until its drain ends. */
const DRAIN_FINALIZER = "kafka-cutover.local/drain";
/** Where a local pod says which port stands for its container port 9180 (see local/kubernetes, pods proxy). */
const ADMIN_PORT_ANNOTATION = "kafka-cutover.local/port-9180";
const FIELD_MANAGER = "kafka-cutover-gateway-operator";

interface Published {
  phase: PodView["phase"];
  port: number;
  deleted: boolean;
}

function mergePatch(value: unknown): { contentType: string; text: string } {
  return { contentType: "application/merge-patch+json", text: JSON.stringify(value) };
}

/**
 * Shows a Gateway's data plane in the Kubernetes API as CFK's Deployment and its pods: a Deployment named after
 * the Gateway with kubectl-style rollout status, and one Pod per data-plane pod (label `app=<gateway>`, a Ready
 * condition, `deletionTimestamp` while it drains). Pods are written before the Deployment's status, so a
 * rollout never looks complete before the old pods show as terminating.
 */
export class KubernetesPodPublisher {
  private readonly published = new Map<string, Published>();
  private latest: DataPlaneSnapshot | undefined;
  private dirty = false;
  private running: Promise<void> | undefined;
  private cleaned = false;
  /** The Deployment spec last written and the generation it got: a spec unchanged is not written again. */
  private lastSpec = "";
  private deploymentGeneration = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    private readonly gateway: string,
    private readonly log: (message: string) => void,
  ) {}

  private get podsPath(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`;
  }

  private get deploymentPath(): string {
    return `/apis/apps/v1/namespaces/${encodeURIComponent(this.namespace)}/deployments/${encodeURIComponent(this.gateway)}`;
  }

  /** Resolves once a sync that includes `snapshot` has been written. */
  publish(snapshot: DataPlaneSnapshot): Promise<void> {
    this.latest = snapshot;
    this.dirty = true;
    this.running ??= this.loop().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Removes the Deployment and every pod (the Gateway CR is gone). */
  async remove(): Promise<void> {
    await this.running?.catch(() => undefined);
    for (const name of this.published.keys()) await this.forget(name, true);
    this.published.clear();
    await this.client.request("DELETE", this.deploymentPath).catch(() => undefined);
  }

  private async loop(): Promise<void> {
    while (this.dirty && this.latest) {
      this.dirty = false;
      const snapshot = this.latest;
      try {
        await this.sync(snapshot);
      } catch (err) {
        this.log(`gateway ${this.gateway}: publishing pods failed: ${(err as Error).message}`);
        this.dirty = true;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private async sync(snapshot: DataPlaneSnapshot): Promise<void> {
    if (!this.cleaned) {
      await this.removeStalePods(snapshot);
      this.cleaned = true;
    }
    const generation = await this.syncDeploymentSpec(snapshot);
    const present = new Set<string>();
    for (const pod of snapshot.pods) {
      if (pod.configPort === undefined || pod.phase === "gone") continue;
      present.add(pod.name);
      await this.syncPod(pod);
    }
    for (const name of [...this.published.keys()]) if (!present.has(name)) await this.forget(name, false);
    await this.syncDeploymentStatus(snapshot, generation);
  }

  /** Pods left by an earlier run of the emulator for this Gateway. */
  private async removeStalePods(snapshot: DataPlaneSnapshot): Promise<void> {
    const list = await this.client.request<{ items: { metadata: { name: string } }[] }>(
      "GET",
      `${this.podsPath}?labelSelector=${encodeURIComponent(`app=${this.gateway}`)}`,
    );
    const ours = new Set(snapshot.pods.map((p) => p.name));
    for (const item of list.items) if (!ours.has(item.metadata.name)) await this.forget(item.metadata.name, true);
  }

  private async syncDeploymentSpec(snapshot: DataPlaneSnapshot): Promise<number> {
    const spec = {
      replicas: snapshot.replicas,
      selector: { matchLabels: { app: this.gateway } },
      template: {
        metadata: {
          labels: { app: this.gateway },
          annotations: { "kafka-cutover.local/revision": String(snapshot.template) },
        },
        spec: {
          containers: [{ name: "gateway", image: "confluentinc/cpc-gateway", ports: [{ containerPort: 9180 }] }],
        },
      },
    };
    const text = JSON.stringify(spec);
    if (text === this.lastSpec) return this.deploymentGeneration;
    const object = await this.client
      .request<{
        metadata: { generation?: number };
      }>("PATCH", `${this.deploymentPath}?fieldManager=${FIELD_MANAGER}`, mergePatch({ spec }))
      .catch(async (err: unknown) => {
        if (!(err instanceof KubeApiError) || err.status !== 404) throw err;
        return this.client.request<{ metadata: { generation?: number } }>(
          "POST",
          `/apis/apps/v1/namespaces/${encodeURIComponent(this.namespace)}/deployments?fieldManager=${FIELD_MANAGER}`,
          {
            contentType: "application/json",
            text: JSON.stringify({
              apiVersion: "apps/v1",
              kind: "Deployment",
              metadata: { name: this.gateway, labels: { app: this.gateway } },
              spec,
            }),
          },
        );
      });
    this.lastSpec = text;
    this.deploymentGeneration = object.metadata.generation ?? 1;
    return this.deploymentGeneration;
  }

  private async syncDeploymentStatus(snapshot: DataPlaneSnapshot, generation: number): Promise<void> {
    const live = snapshot.pods.filter((p) => p.phase === "starting" || p.phase === "ready");
    const ready = live.filter((p) => p.phase === "ready");
    const status = {
      observedGeneration: generation,
      replicas: live.length,
      updatedReplicas: live.filter((p) => p.template === snapshot.template).length,
      readyReplicas: ready.length,
      availableReplicas: ready.length,
      unavailableReplicas: Math.max(0, snapshot.replicas - ready.length),
    };
    await this.client.request(
      "PATCH",
      `${this.deploymentPath}/status?fieldManager=${FIELD_MANAGER}`,
      mergePatch({ status }),
    );
  }

  private async syncPod(pod: PodView): Promise<void> {
    const path = `${this.podsPath}/${encodeURIComponent(pod.name)}`;
    let known = this.published.get(pod.name);
    if (!known) {
      await this.client.request("POST", `${this.podsPath}?fieldManager=${FIELD_MANAGER}`, {
        contentType: "application/json",
        text: JSON.stringify({
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            name: pod.name,
            uid: pod.uid,
            labels: { app: this.gateway, "pod-template-hash": `r${pod.template}` },
            annotations: { [ADMIN_PORT_ANNOTATION]: String(pod.configPort) },
            finalizers: [DRAIN_FINALIZER],
          },
          spec: {
            containers: [{ name: "gateway", image: "confluentinc/cpc-gateway", ports: [{ containerPort: 9180 }] }],
          },
        }),
      });
      known = { phase: "starting", port: pod.configPort as number, deleted: false };
      this.published.set(pod.name, known);
      await this.writePodStatus(path, pod);
    }
    if (known.phase !== pod.phase) {
      if (pod.phase === "terminating" && !known.deleted) {
        await this.writePodStatus(path, pod);
        await this.client.request("DELETE", path);
        known.deleted = true;
      } else if (pod.phase !== "terminating") {
        await this.writePodStatus(path, pod);
      }
      known.phase = pod.phase;
    }
  }

  private async writePodStatus(path: string, pod: PodView): Promise<void> {
    const ready = pod.phase === "ready" ? "True" : "False";
    const status = {
      phase: pod.phase === "starting" ? "Pending" : "Running",
      podIP: "127.0.0.1",
      conditions: [
        { type: "Ready", status: ready },
        { type: "ContainersReady", status: ready },
      ],
    };
    await this.client.request("PATCH", `${path}/status?fieldManager=${FIELD_MANAGER}`, mergePatch({ status }));
  }

  /** Deletes a pod for good: marked for deletion if it was not yet, then its drain finalizer removed. */
  private async forget(name: string, quiet: boolean): Promise<void> {
    const path = `${this.podsPath}/${encodeURIComponent(name)}`;
    const known = this.published.get(name);
    this.published.delete(name);
    try {
      if (!known?.deleted) await this.client.request("DELETE", path);
      await this.client.request("PATCH", path, mergePatch({ metadata: { finalizers: null } }));
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return;
      if (!quiet) throw err;
    }
  }
}
