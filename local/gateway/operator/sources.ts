import type { SecretObject } from "../auth/secretStore";
import type { GatewayResource, GatewayStatus } from "./types";

/** Where the operator reads the Gateway CR: the current object, and a callback on every change. */
export interface GatewaySpecSource {
  current(): GatewayResource | undefined;
  subscribe(onChange: () => void): () => void;
}

export interface StatusWriter {
  write(name: string, status: GatewayStatus): Promise<void>;
}

/** Secrets by name (in the Gateway's namespace). */
export interface SecretSource {
  get(name: string): SecretObject | undefined;
  subscribe?(onChange: () => void): () => void;
  /** Creates or replaces a Secret (the gateway's own: SCRAM verifiers); without it they live in memory only. */
  write?(secret: SecretObject): Promise<void>;
}
