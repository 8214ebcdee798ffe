import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";

/** What the gateway stores for one SCRAM-SHA-512 user (RFC 5802 server-side keys, never the password). */
export interface ScramCredential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** One client principal of a swap route: how it proves itself to the gateway, and the API key used upstream. */
export interface PrincipalCredentials {
  principal: string;
  /** For SASL/PLAIN in (and to derive a SCRAM credential when `scram` is absent). */
  password?: string;
  scram?: ScramCredential;
  apiKey: string;
  apiSecret: string;
}

export function hmac(key: Buffer, data: string | Buffer): Buffer {
  return createHmac("sha512", key).update(data).digest();
}

export function sha512(data: Buffer): Buffer {
  return createHash("sha512").update(data).digest();
}

export function scramCredentialFromPassword(password: string, iterations = 4096, salt: Buffer = randomBytes(24)): ScramCredential {
  const salted = pbkdf2Sync(Buffer.from(password, "utf8"), salt, iterations, 64, "sha512");
  return {
    salt,
    iterations,
    storedKey: sha512(hmac(salted, "Client Key")),
    serverKey: hmac(salted, "Server Key"),
  };
}
