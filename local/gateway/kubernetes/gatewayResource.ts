import type { GatewaySpecSource, StatusWriter } from "../operator/sources";
import type { GatewayResource, GatewayStatus } from "../operator/types";
import { KubeApiError, type KubeClient } from "./client";
import type { Informer, KubeObjectMeta } from "./informer";

export const GATEWAY_API_PATH = "/apis/platform.confluent.io/v1beta1";

/** A Gateway CR as the API server returns it. */
export type KubeGateway = GatewayResource & { metadata: KubeObjectMeta & { deletionTimestamp?: string } };

export function gatewaysPath(namespace: string): string {
  return `${GATEWAY_API_PATH}/namespaces/${encodeURIComponent(namespace)}/gateways`;
}

const STATUS_FIELD_MANAGER = "kafka-cutover-gateway-operator";
const STATUS_ATTEMPTS = 4;

/**
 * One Gateway CR seen through the watch cache, as the operator's spec source and status writer. Only a new
 * metadata.generation notifies the operator: status writes (ours included) change resourceVersion but not
 * generation, and reacting to them would reconcile in a loop.
 */
export class KubernetesGatewayResource implements GatewaySpecSource, StatusWriter {
  constructor(
    private readonly client: KubeClient,
    private readonly informer: Informer<KubeGateway>,
    private readonly namespace: string,
    readonly name: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  current(): KubeGateway | undefined {
    const object = this.informer.get(this.name);
    return object && !object.metadata.deletionTimestamp ? object : undefined;
  }

  subscribe(onChange: () => void): () => void {
    let seen = this.current()?.metadata.generation;
    return this.informer.subscribe((event) => {
      if (event.type === "DELETED" || event.object.metadata.name !== this.name) return;
      const generation = event.object.metadata.generation;
      if (generation === seen) return;
      seen = generation;
      onChange();
    });
  }

  /** A JSON merge patch of the status subresource; a CR deleted meanwhile is not an error. */
  async write(name: string, status: GatewayStatus): Promise<void> {
    const path = `${gatewaysPath(this.namespace)}/${encodeURIComponent(name)}/status?fieldManager=${STATUS_FIELD_MANAGER}`;
    const body = { contentType: "application/merge-patch+json", text: JSON.stringify({ status }) };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.request<KubeGateway>("PATCH", path, body);
        return;
      } catch (err) {
        if (err instanceof KubeApiError && err.status === 404) return;
        const retriable = !(err instanceof KubeApiError) || err.status >= 500 || err.status === 429;
        if (!retriable || attempt >= STATUS_ATTEMPTS) throw err;
        this.log(`gateway ${name}: status write failed (${(err as Error).message}); retrying`);
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
  }
}
