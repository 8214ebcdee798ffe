/**
 * TLS as every product client uses it: the system trust store unless a leg's config gives a CA bundle, and
 * hostname verification always on (Node's default `checkServerIdentity`, never replaced). A failed handshake is
 * told apart from an unreachable host and named by its leg and the key that fixes it.
 */
import * as https from "node:https";
import type { ConnectionOptions } from "node:tls";

/** A TLS leg of the product: what it is and the stack-config keys that decide its trust and its address. */
export interface TlsLeg {
  /** e.g. "the source", "the destination's REST endpoint", "route demo". */
  readonly what: string;
  /** The key holding the CA bundle, e.g. `kafka-cutover:source.caCertificates`. */
  readonly caKey: string;
  /** The key holding the address the certificate must name, e.g. `kafka-cutover:source.bootstrap`. */
  readonly addressKey: string;
}

/** kafkajs' `ssl` for a security protocol: off, the system trust store, or only the configured CAs. */
export function kafkaSsl(securityProtocol: string, caCertificates?: string): boolean | ConnectionOptions {
  if (!securityProtocol.endsWith("SSL")) return false;
  return caCertificates ? { ca: [caCertificates] } : true;
}

/** An https agent trusting the configured CAs (or, unset, the system store); undefined for http. */
export function httpsAgent(caCertificates?: string): https.Agent | undefined {
  return caCertificates ? new https.Agent({ ca: [caCertificates], keepAlive: true }) : undefined;
}

/** OpenSSL's and Node's codes for a certificate the client does not trust or that names another host. */
const UNTRUSTED = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
]);
const EXPIRED = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);
const WRONG_HOST = "ERR_TLS_CERT_ALTNAME_INVALID";

/** The certificate messages Node gives for those codes, for errors that carry only a message (kafkajs wraps them). */
const MESSAGES: readonly [RegExp, "untrusted" | "expired" | "host"][] = [
  [
    /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate signature failure/i,
    "untrusted",
  ],
  [/certificate has expired|certificate is not yet valid/i, "expired"],
  [/Hostname\/IP does not match certificate's altnames/i, "host"],
];

function kindOf(err: unknown): "untrusted" | "expired" | "host" | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const { code, message, cause, originalError } = e as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      originalError?: unknown;
    };
    if (typeof code === "string") {
      if (UNTRUSTED.has(code)) return "untrusted";
      if (EXPIRED.has(code)) return "expired";
      if (code === WRONG_HOST) return "host";
    }
    if (typeof message === "string") for (const [re, kind] of MESSAGES) if (re.test(message)) return kind;
    e = cause ?? originalError;
  }
  return undefined;
}

/**
 * When `err` is a refused certificate, what went wrong on which leg and the fix; undefined for any other error.
 * The text names the leg and the key, never a credential.
 */
export function tlsFailure(leg: TlsLeg, err: unknown): string | undefined {
  const kind = kindOf(err);
  if (!kind) return undefined;
  const detail = (err as { message?: string }).message ?? String(err);
  if (kind === "host")
    return `TLS to ${leg.what} refused: its certificate does not name the address connected to (${detail}); connect by a name the certificate lists (${leg.addressKey}) — hostname verification stays on`;
  if (kind === "expired")
    return `TLS to ${leg.what} refused: its certificate is outside its validity period (${detail}); renew the server's certificate`;
  return `TLS to ${leg.what} refused: its certificate is not signed by a CA this program trusts (${detail}); set ${leg.caKey} to the PEM bundle of the CA that issued it (default: the system trust store)`;
}

/** `err` itself, or, for a refused certificate, an Error whose message names the leg and the fix. */
export function withTlsAdvice(leg: TlsLeg, err: unknown): unknown {
  const advice = tlsFailure(leg, err);
  return advice ? new Error(advice) : err;
}

/** The product's Kafka legs by the stack-config section whose keys decide them. */
export const KAFKA_LEGS = {
  source: {
    what: "the source",
    caKey: "kafka-cutover:source.caCertificates",
    addressKey: "kafka-cutover:source.bootstrap",
  },
  destination: {
    what: "the destination",
    caKey: "kafka-cutover:destination.caCertificates",
    addressKey: "kafka-cutover:destination.bootstrap",
  },
} as const satisfies Record<string, TlsLeg>;

export const REST_LEG: TlsLeg = {
  what: "the destination's REST endpoint",
  caKey: "kafka-cutover:destination.restCaCertificates",
  addressKey: "kafka-cutover:destination.restEndpoint",
};

/** A group's route, as the canary reaches it. */
export function routeLeg(group: string, groupIndex?: number): TlsLeg {
  const at = groupIndex === undefined ? "groups[<i>]" : `groups[${groupIndex}]`;
  return {
    what: `group ${group}'s Gateway route`,
    caKey: "kafka-cutover:gateway.routeCaCertificates",
    addressKey: `kafka-cutover:${at}.endpoint`,
  };
}
