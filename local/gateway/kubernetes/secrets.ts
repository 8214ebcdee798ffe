import type { SecretObject } from "../auth/secretStore";
import type { SecretSource } from "../operator/sources";
import { KubeApiError, type KubeClient } from "./client";
import type { Informer, KubeObjectLike } from "./informer";

/** A core/v1 Secret as the API server returns it: `data` values are base64 (`stringData` is write-only). */
export interface KubeSecret extends KubeObjectLike {
  type?: string;
  data?: Record<string, string>;
}

const WRITE_ATTEMPTS = 4;

/**
 * One Gateway's view of its namespace's Secrets: reads come from the watch cache, and change notifications
 * are limited to the names the Gateway currently references, so unrelated Secrets cause no reconcile.
 * Writes (the gateway's own Secrets: SCRAM verifiers) go to the API server: a PUT, or a POST when absent.
 */
export class InformerSecrets implements SecretSource {
  constructor(
    private readonly informer: Informer<KubeSecret>,
    private readonly referenced: () => ReadonlySet<string>,
    private readonly client?: KubeClient,
    private readonly namespace?: string,
  ) {}

  async write(secret: SecretObject): Promise<void> {
    if (!this.client || this.namespace === undefined) throw new Error("this secret source is read-only");
    const collection = `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets`;
    const name = secret.metadata.name;
    const object = {
      apiVersion: "v1",
      kind: "Secret",
      type: "Opaque",
      metadata: {
        name,
        namespace: this.namespace,
        labels: { "app.kubernetes.io/managed-by": "kafka-cutover-gateway" },
      },
      data: { ...(secret.data ?? {}) },
      ...(secret.stringData ? { stringData: secret.stringData } : {}),
    };
    const body = { contentType: "application/json", text: JSON.stringify(object) };
    for (let attempt = 1; ; attempt++) {
      try {
        // An unconditional update (no resourceVersion): the gateway is this Secret's only writer.
        await this.client.request<KubeSecret>("PUT", `${collection}/${encodeURIComponent(name)}`, body);
        return;
      } catch (err) {
        if (err instanceof KubeApiError && err.status === 404) {
          try {
            await this.client.request<KubeSecret>("POST", collection, body);
            return;
          } catch (created) {
            if (!(created instanceof KubeApiError && created.status === 409)) err = created;
          }
        }
        const retriable =
          !(err instanceof KubeApiError) ||
          err.status >= 500 ||
          err.status === 429 ||
          err.status === 409 ||
          err.status === 404;
        if (!retriable || attempt >= WRITE_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  get(name: string): SecretObject | undefined {
    const secret = this.informer.get(name);
    return secret
      ? { metadata: { name, namespace: secret.metadata.namespace }, data: { ...(secret.data ?? {}) } }
      : undefined;
  }

  subscribe(onChange: () => void): () => void {
    return this.informer.subscribe((event) => {
      if (this.referenced().has(event.object.metadata.name)) onChange();
    });
  }
}
