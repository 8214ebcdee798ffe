import { randomBytes, timingSafeEqual } from "node:crypto";
import { hash, hmac, type ScramCredential, type ScramMechanism } from "./credentials";

export type ScramStep =
  | { kind: "challenge"; message: Buffer }
  | { kind: "done"; principal: string; message: Buffer }
  | { kind: "failed"; reason: string };

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

function saslName(value: string): string {
  return value.replace(/=2C/g, ",").replace(/=3D/g, "=");
}

/** Server side of one SCRAM-SHA-256/512 exchange (RFC 5802, no channel binding): two client messages. */
export class ScramServer {
  private state: "first" | "final" | "over" = "first";
  private username = "";
  private nonce = "";
  private clientFirstBare = "";
  private serverFirst = "";
  private credential: ScramCredential | undefined;

  constructor(
    private readonly mechanism: ScramMechanism,
    private readonly lookup: (username: string) => ScramCredential | undefined,
  ) {}

  step(token: Buffer): ScramStep {
    if (this.state === "first") return this.first(token.toString("utf8"));
    if (this.state === "final") return this.final(token.toString("utf8"));
    return { kind: "failed", reason: "SCRAM exchange already finished" };
  }

  private first(message: string): ScramStep {
    const m = /^([ny]|p=[^,]*),([^,]*),(.*)$/.exec(message);
    if (!m) return this.fail("malformed client-first message");
    if (m[1].startsWith("p=")) return this.fail("channel binding is not supported");
    this.clientFirstBare = m[3];
    const attrs = attributes(this.clientFirstBare);
    const user = attrs.get("n");
    const clientNonce = attrs.get("r");
    if (!user || !clientNonce) return this.fail("client-first message lacks n= or r=");
    this.username = saslName(user);
    // An unknown user still gets a challenge (from a throwaway salt) so users cannot be enumerated.
    this.credential = this.lookup(this.username);
    const salt = this.credential?.salt ?? randomBytes(24);
    const iterations = this.credential?.iterations ?? 4096;
    this.nonce = clientNonce + randomBytes(18).toString("base64");
    this.serverFirst = `r=${this.nonce},s=${salt.toString("base64")},i=${iterations}`;
    this.state = "final";
    return { kind: "challenge", message: Buffer.from(this.serverFirst, "utf8") };
  }

  private final(message: string): ScramStep {
    this.state = "over";
    const proofAt = message.lastIndexOf(",p=");
    if (proofAt < 0) return this.fail("client-final message lacks p=");
    const withoutProof = message.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get("r") !== this.nonce) return this.fail("nonce mismatch");
    // The same answer as a wrong password, so a client cannot tell which users are registered.
    if (!this.credential) return this.fail(`authentication failed for ${this.username}`);
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const proof = Buffer.from(message.slice(proofAt + 3), "base64");
    const signature = hmac(this.mechanism, this.credential.storedKey, authMessage);
    if (proof.length !== signature.length) return this.fail(`authentication failed for ${this.username}`);
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i] ^ signature[i];
    if (!timingSafeEqual(hash(this.mechanism, clientKey), this.credential.storedKey))
      return this.fail(`authentication failed for ${this.username}`);
    const serverSignature = hmac(this.mechanism, this.credential.serverKey, authMessage).toString("base64");
    return { kind: "done", principal: this.username, message: Buffer.from(`v=${serverSignature}`, "utf8") };
  }

  private fail(reason: string): ScramStep {
    this.state = "over";
    return { kind: "failed", reason };
  }
}
