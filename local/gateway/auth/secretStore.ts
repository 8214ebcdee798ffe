import { scramCredentialFromPassword, type PrincipalCredentials, type ScramCredential } from "./credentials";

/** The fields of a Kubernetes Secret the store reads. */
export interface SecretObject {
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

interface EntryJson {
  password?: string;
  scram?: { salt: string; iterations: number; storedKey: string; serverKey: string };
  apiKey?: string;
  apiSecret?: string;
}

/**
 * Credentials of a swap route, from a Secret whose keys are client principals and whose values are JSON:
 * `{"password": "...", "apiKey": "...", "apiSecret": "..."}` or `{"scram": {salt, iterations, storedKey,
 * serverKey} (base64), "apiKey", "apiSecret"}`. The Confluent form `"<apiKey>/<apiSecret>"` has no client
 * secret, so it is rejected: a swap route must be able to verify the client.
 */
export class SecretStore {
  private readonly entries = new Map<string, PrincipalCredentials>();

  constructor(secret: SecretObject) {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(secret.data ?? {})) values[k] = Buffer.from(v, "base64").toString("utf8");
    Object.assign(values, secret.stringData ?? {});
    for (const [principal, raw] of Object.entries(values)) {
      this.entries.set(principal, parseEntry(secret.metadata.name, principal, raw));
    }
  }

  get(principal: string): PrincipalCredentials | undefined {
    return this.entries.get(principal);
  }

  principals(): string[] {
    return [...this.entries.keys()];
  }
}

function parseEntry(secretName: string, principal: string, raw: string): PrincipalCredentials {
  let parsed: EntryJson;
  try {
    parsed = JSON.parse(raw) as EntryJson;
  } catch {
    throw new Error(`secret ${secretName}: key ${principal} is not JSON {password|scram, apiKey, apiSecret}`);
  }
  if (!parsed.apiKey || !parsed.apiSecret) throw new Error(`secret ${secretName}: key ${principal} has no apiKey/apiSecret`);
  if (!parsed.password && !parsed.scram) throw new Error(`secret ${secretName}: key ${principal} has neither password nor scram`);
  let scram: ScramCredential | undefined;
  if (parsed.scram) {
    scram = {
      salt: Buffer.from(parsed.scram.salt, "base64"),
      iterations: parsed.scram.iterations,
      storedKey: Buffer.from(parsed.scram.storedKey, "base64"),
      serverKey: Buffer.from(parsed.scram.serverKey, "base64"),
    };
  } else if (parsed.password) {
    scram = scramCredentialFromPassword(parsed.password);
  }
  return { principal, password: parsed.password, scram, apiKey: parsed.apiKey, apiSecret: parsed.apiSecret };
}
