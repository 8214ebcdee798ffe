import type { SecretObject } from "../auth/secretStore";
import type { SecretSource } from "../operator/sources";
import type { Informer, KubeObjectLike } from "./informer";

/** A core/v1 Secret as the API server returns it: `data` values are base64 (`stringData` is write-only). */
export interface KubeSecret extends KubeObjectLike {
  type?: string;
  data?: Record<string, string>;
}

/**
 * One Gateway's view of its namespace's Secrets: reads come from the watch cache, and change notifications
 * are limited to the names the Gateway currently references, so unrelated Secrets cause no reconcile.
 */
export class InformerSecrets implements SecretSource {
  constructor(
    private readonly informer: Informer<KubeSecret>,
    private readonly referenced: () => ReadonlySet<string>,
  ) {}

  get(name: string): SecretObject | undefined {
    const secret = this.informer.get(name);
    return secret ? { metadata: { name, namespace: secret.metadata.namespace }, data: { ...(secret.data ?? {}) } } : undefined;
  }

  subscribe(onChange: () => void): () => void {
    return this.informer.subscribe((event) => {
      if (this.referenced().has(event.object.metadata.name)) onChange();
    });
  }
}
