import type { SecretObject } from "../auth/secretStore";
import type { GatewaySpecSource, SecretSource, StatusWriter } from "./sources";
import type { GatewayResource, GatewaySpec, GatewayStatus } from "./types";

/** An in-process Gateway CR: `apply` bumps metadata.generation when the spec changes, as the API server does. */
export class InMemoryGateway implements GatewaySpecSource, StatusWriter {
  private resource: GatewayResource | undefined;
  private readonly listeners = new Set<() => void>();
  readonly statusHistory: GatewayStatus[] = [];

  constructor(private readonly name = "gateway") {}

  apply(spec: GatewaySpec): GatewayResource {
    const previous = this.resource;
    const changed = !previous || JSON.stringify(previous.spec) !== JSON.stringify(spec);
    const generation = (previous?.metadata.generation ?? 0) + (changed ? 1 : 0);
    this.resource = {
      apiVersion: "platform.confluent.io/v1beta1",
      kind: "Gateway",
      metadata: { name: this.name, generation },
      spec: JSON.parse(JSON.stringify(spec)) as GatewaySpec,
      status: previous?.status,
    };
    if (changed) for (const l of this.listeners) l();
    return this.resource;
  }

  current(): GatewayResource | undefined {
    return this.resource;
  }

  subscribe(onChange: () => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  async write(name: string, status: GatewayStatus): Promise<void> {
    if (this.resource && this.resource.metadata.name === name) this.resource.status = status;
    this.statusHistory.push(status);
  }

  get status(): GatewayStatus | undefined {
    return this.resource?.status;
  }
}

export class InMemorySecrets implements SecretSource {
  private readonly secrets = new Map<string, SecretObject>();
  private readonly listeners = new Set<() => void>();

  put(secret: SecretObject): void {
    this.secrets.set(secret.metadata.name, secret);
    for (const l of this.listeners) l();
  }

  get(name: string): SecretObject | undefined {
    return this.secrets.get(name);
  }

  async write(secret: SecretObject): Promise<void> {
    this.put(JSON.parse(JSON.stringify(secret)) as SecretObject);
  }

  subscribe(onChange: () => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }
}
