import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";

/** The SCRAM mechanisms the gateway verifies, with Kafka's wire codes (AlterUserScramCredentials `Mechanism`). */
export type ScramMechanism = "SCRAM-SHA-256" | "SCRAM-SHA-512";
export const SCRAM_MECHANISMS: readonly ScramMechanism[] = ["SCRAM-SHA-512", "SCRAM-SHA-256"];

const HASHES: Record<ScramMechanism, { algorithm: "sha256" | "sha512"; bytes: number; code: number }> = {
  "SCRAM-SHA-256": { algorithm: "sha256", bytes: 32, code: 1 },
  "SCRAM-SHA-512": { algorithm: "sha512", bytes: 64, code: 2 },
};

export function isScramMechanism(name: string): name is ScramMechanism {
  return name === "SCRAM-SHA-256" || name === "SCRAM-SHA-512";
}

/** Kafka's `ScramMechanism` byte (1 = SHA-256, 2 = SHA-512); undefined for anything else. */
export function scramMechanismOfCode(code: number): ScramMechanism | undefined {
  return SCRAM_MECHANISMS.find((m) => HASHES[m].code === code);
}

/** What the gateway stores for one SCRAM user and mechanism (RFC 5802 server-side keys, never the password). */
export interface ScramCredential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** The destination credentials a client principal is swapped for: `<apiKey><separator><apiSecret>` in the store. */
export interface ClusterCredentials {
  apiKey: string;
  apiSecret: string;
}

export function hmac(mechanism: ScramMechanism, key: Buffer, data: string | Buffer): Buffer {
  return createHmac(HASHES[mechanism].algorithm, key).update(data).digest();
}

export function hash(mechanism: ScramMechanism, data: Buffer): Buffer {
  return createHash(HASHES[mechanism].algorithm).update(data).digest();
}

/** The verifier of a salted password (`Hi(password, salt, i)`), as a broker derives it from AlterUserScramCredentials. */
export function scramCredentialFromSaltedPassword(
  mechanism: ScramMechanism,
  saltedPassword: Buffer,
  salt: Buffer,
  iterations: number,
): ScramCredential {
  return {
    salt,
    iterations,
    storedKey: hash(mechanism, hmac(mechanism, saltedPassword, "Client Key")),
    serverKey: hmac(mechanism, saltedPassword, "Server Key"),
  };
}

export function saltPassword(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(
    Buffer.from(password, "utf8"),
    salt,
    iterations,
    HASHES[mechanism].bytes,
    HASHES[mechanism].algorithm,
  );
}

export function scramCredentialFromPassword(
  password: string,
  iterations = 4096,
  salt: Buffer = randomBytes(24),
  mechanism: ScramMechanism = "SCRAM-SHA-512",
): ScramCredential {
  return scramCredentialFromSaltedPassword(
    mechanism,
    saltPassword(mechanism, password, salt, iterations),
    salt,
    iterations,
  );
}
