import {
  scramCredentialFromSaltedPassword,
  scramMechanismOfCode,
  type ScramCredential,
  type ScramMechanism,
} from "./credentials";
import { secretValues, type SecretObject } from "./secretStore";

/** The key of the verifiers Secret that holds every registered credential, as JSON. */
export const VERIFIERS_KEY = "scram-verifiers.json";

/** Where a store's verifiers are kept: `<clientCredentialsRef>-scram-verifiers`. */
export function verifiersSecretName(clientCredentialsRef: string): string {
  return `${clientCredentialsRef}-scram-verifiers`;
}

interface CredentialJson {
  salt: string;
  iterations: number;
  storedKey: string;
  serverKey: string;
}
type VerifiersJson = Record<string, Partial<Record<ScramMechanism, CredentialJson>>>;

/** Kafka error codes of AlterUserScramCredentials results. */
const Errors = {
  NONE: 0,
  UNKNOWN_SERVER_ERROR: -1,
  UNSUPPORTED_SASL_MECHANISM: 33,
  RESOURCE_NOT_FOUND: 91,
  DUPLICATE_RESOURCE: 92,
  UNACCEPTABLE_CREDENTIAL: 93,
} as const;

/** Kafka's bounds for SCRAM iterations (ScramMechanism.minIterations / maxIterations). */
const MIN_ITERATIONS = 4096;
const MAX_ITERATIONS = 16384;

export interface ScramDeletion {
  name: string;
  mechanism: number;
}

export interface ScramUpsertion {
  name: string;
  mechanism: number;
  iterations: number;
  salt: Buffer;
  saltedPassword: Buffer;
}

export interface ScramAlterResult {
  user: string;
  errorCode: number;
  errorMessage: string | null;
}

function toJson(c: ScramCredential): CredentialJson {
  return {
    salt: c.salt.toString("base64"),
    iterations: c.iterations,
    storedKey: c.storedKey.toString("base64"),
    serverKey: c.serverKey.toString("base64"),
  };
}

function fromJson(c: CredentialJson): ScramCredential {
  return {
    salt: Buffer.from(c.salt, "base64"),
    iterations: c.iterations,
    storedKey: Buffer.from(c.storedKey, "base64"),
    serverKey: Buffer.from(c.serverKey, "base64"),
  };
}

/**
 * The SCRAM verifiers registered through AlterUserScramCredentials on a registration route (salt,
 * iterations, stored key, server key per user and mechanism; never a password). Kept in the Secret
 * `<clientCredentialsRef>-scram-verifiers` (key `scram-verifiers.json`): loaded when the store is first
 * used, then every change is written back through `persist` before the request is answered.
 */
export class ScramVerifierStore {
  private verifiers = new Map<string, Map<ScramMechanism, ScramCredential>>();
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    readonly secretName: string,
    initial: SecretObject | undefined,
    private readonly persist: (secret: SecretObject) => Promise<void> = async () => undefined,
  ) {
    if (initial) this.verifiers = ScramVerifierStore.decode(initial);
  }

  static decode(secret: SecretObject): Map<string, Map<ScramMechanism, ScramCredential>> {
    const out = new Map<string, Map<ScramMechanism, ScramCredential>>();
    const raw = secretValues(secret)[VERIFIERS_KEY];
    if (!raw) return out;
    const parsed = JSON.parse(raw) as VerifiersJson;
    for (const [user, byMechanism] of Object.entries(parsed)) {
      const m = new Map<ScramMechanism, ScramCredential>();
      for (const [mechanism, c] of Object.entries(byMechanism)) if (c) m.set(mechanism as ScramMechanism, fromJson(c));
      out.set(user, m);
    }
    return out;
  }

  /** A Secret holding `verifiers`, in the form the store reads back. */
  static encode(
    secretName: string,
    verifiers: ReadonlyMap<string, ReadonlyMap<ScramMechanism, ScramCredential>>,
  ): SecretObject {
    const json: VerifiersJson = {};
    for (const [user, byMechanism] of [...verifiers].sort(([a], [b]) => a.localeCompare(b))) {
      json[user] = Object.fromEntries([...byMechanism].map(([m, c]) => [m, toJson(c)]));
    }
    return {
      metadata: { name: secretName },
      data: { [VERIFIERS_KEY]: Buffer.from(JSON.stringify(json, null, 1), "utf8").toString("base64") },
    };
  }

  get(username: string, mechanism: ScramMechanism): ScramCredential | undefined {
    return this.verifiers.get(username)?.get(mechanism);
  }

  users(): string[] {
    return [...this.verifiers.keys()];
  }

  /**
   * Applies one AlterUserScramCredentials request as a broker would (one result per user named; a user
   * named twice, an unknown mechanism, iterations outside 4096..16384 or an empty name fail that user only;
   * deleting an absent credential is RESOURCE_NOT_FOUND), persists, and only then returns the results.
   */
  alter(deletions: readonly ScramDeletion[], upsertions: readonly ScramUpsertion[]): Promise<ScramAlterResult[]> {
    const run = this.writes.then(() => this.apply(deletions, upsertions));
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async apply(
    deletions: readonly ScramDeletion[],
    upsertions: readonly ScramUpsertion[],
  ): Promise<ScramAlterResult[]> {
    const results = new Map<string, ScramAlterResult>();
    const fail = (user: string, errorCode: number, errorMessage: string): void =>
      void results.set(user, { user, errorCode, errorMessage });
    const seen = new Map<string, number>();
    for (const u of [...deletions, ...upsertions])
      seen.set(`${u.name}\u0000${u.mechanism}`, (seen.get(`${u.name}\u0000${u.mechanism}`) ?? 0) + 1);
    const next = new Map([...this.verifiers].map(([u, m]) => [u, new Map(m)]));
    const check = (name: string, code: number): ScramMechanism | undefined => {
      if (results.has(name)) return undefined;
      if (!name) return void fail(name, Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
      if ((seen.get(`${name}\u0000${code}`) ?? 0) > 1)
        return void fail(
          name,
          Errors.DUPLICATE_RESOURCE,
          "A user credential cannot be altered twice in the same request",
        );
      const mechanism = scramMechanismOfCode(code);
      if (!mechanism) return void fail(name, Errors.UNSUPPORTED_SASL_MECHANISM, `Unknown SCRAM mechanism ${code}`);
      return mechanism;
    };
    for (const d of deletions) {
      const mechanism = check(d.name, d.mechanism);
      if (!mechanism) continue;
      if (!next.get(d.name)?.delete(mechanism))
        fail(d.name, Errors.RESOURCE_NOT_FOUND, `Attempt to delete a user credential that does not exist`);
      else if (next.get(d.name)?.size === 0) next.delete(d.name);
    }
    for (const u of upsertions) {
      const mechanism = check(u.name, u.mechanism);
      if (!mechanism) continue;
      if (u.iterations < MIN_ITERATIONS || u.iterations > MAX_ITERATIONS) {
        fail(
          u.name,
          Errors.UNACCEPTABLE_CREDENTIAL,
          `Iterations ${u.iterations} not in ${MIN_ITERATIONS}..${MAX_ITERATIONS}`,
        );
        continue;
      }
      if (u.salt.length === 0 || u.saltedPassword.length === 0) {
        fail(u.name, Errors.UNACCEPTABLE_CREDENTIAL, "Salt and salted password must not be empty");
        continue;
      }
      let byMechanism = next.get(u.name);
      if (!byMechanism) next.set(u.name, (byMechanism = new Map()));
      byMechanism.set(mechanism, scramCredentialFromSaltedPassword(mechanism, u.saltedPassword, u.salt, u.iterations));
    }
    // A user whose entry failed keeps its previous credentials.
    for (const user of results.keys()) {
      const previous = this.verifiers.get(user);
      if (previous) next.set(user, new Map(previous));
      else next.delete(user);
    }
    const changed = [...deletions, ...upsertions].some((x) => !results.has(x.name));
    if (changed) {
      try {
        await this.persist(ScramVerifierStore.encode(this.secretName, next));
      } catch (err) {
        const message = `the gateway could not store the credential: ${(err as Error).message}`;
        return [...new Set([...deletions, ...upsertions].map((x) => x.name))].map(
          (user) => results.get(user) ?? { user, errorCode: Errors.UNKNOWN_SERVER_ERROR, errorMessage: message },
        );
      }
      this.verifiers = next;
    }
    return [...new Set([...deletions, ...upsertions].map((x) => x.name))].map(
      (user) => results.get(user) ?? { user, errorCode: Errors.NONE, errorMessage: null },
    );
  }
}
