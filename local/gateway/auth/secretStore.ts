import type { ClusterCredentials } from "./credentials";

/** The fields of a Kubernetes Secret the gateway reads. */
export interface SecretObject {
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** A Secret's values as text: `data` (base64, as the API returns it) overlaid with `stringData`. */
export function secretValues(secret: SecretObject): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) values[k] = Buffer.from(v, "base64").toString("utf8");
  Object.assign(values, secret.stringData ?? {});
  return values;
}

export const DEFAULT_SEPARATOR = "/";

/**
 * A `File` secret store (`spec.secretStores[].provider: {type: File, configSecretRef, clientCredentialsRef}`):
 * the config Secret's `separator` (default `/`) splits each value of the client-credentials Secret, which maps
 * a client principal to `<apiKey><separator><apiSecret>`, the destination credentials the gateway signs in
 * with for that principal. The value is split at the first separator (API keys never contain it; secrets may).
 */
export class FileSecretStore {
  private readonly entries = new Map<string, ClusterCredentials>();

  private constructor(
    readonly name: string,
    readonly clientCredentialsSecret: string,
    readonly separator: string,
  ) {}

  /** Throws an Error whose message says what is wrong with either Secret. */
  static read(storeName: string, config: SecretObject | undefined, clientCredentials: SecretObject): FileSecretStore {
    const configured = config ? secretValues(config).separator : undefined;
    const separator = configured === undefined ? DEFAULT_SEPARATOR : configured.replace(/\r?\n$/, "");
    if (separator === "") throw new Error(`secret ${config?.metadata.name}: separator is empty`);
    const store = new FileSecretStore(storeName, clientCredentials.metadata.name, separator);
    const bad: string[] = [];
    for (const [principal, raw] of Object.entries(secretValues(clientCredentials))) {
      const value = raw.trim();
      const at = value.indexOf(separator);
      const apiKey = at < 0 ? "" : value.slice(0, at);
      const apiSecret = at < 0 ? "" : value.slice(at + separator.length);
      if (!apiKey || !apiSecret) bad.push(principal);
      else store.entries.set(principal, { apiKey, apiSecret });
    }
    if (bad.length > 0) {
      throw new Error(
        `secret ${clientCredentials.metadata.name}: ${bad.join(", ")}: value is not <apiKey>${separator}<apiSecret>`,
      );
    }
    return store;
  }

  get(principal: string): ClusterCredentials | undefined {
    return this.entries.get(principal);
  }

  principals(): string[] {
    return [...this.entries.keys()];
  }
}
