/**
 * The trust each TLS leg uses: the system's trust store unless the stack config gives a CA bundle (PEM, inline,
 * like the kubeconfig). Validation reads every certificate of a bundle and never repeats its text.
 */
import { X509Certificate } from "node:crypto";
import { rmCommand } from "./errors";
import type { ConfigReader, JsonObject } from "./reader";

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** The `pulumi config set` that puts a PEM file's content at `path`. */
export function caSetCommand(path: string): string {
  return `pulumi config set --path 'kafka-cutover:${path}' -- "$(cat ca.pem)"`;
}

/**
 * `obj[field]`, a bundle of one or more PEM certificates the leg trusts instead of the system store. `usesTls`
 * false (a plaintext protocol or an http URL) makes a set bundle an error: it would silently protect nothing.
 * Undefined when unset or invalid (an issue reported); `now` decides what is expired.
 */
export function readCaCertificates(
  r: ConfigReader,
  obj: JsonObject,
  field: string,
  path: string,
  leg: { what: string; usesTls: boolean; why?: string },
  now: Date = new Date(),
): string | undefined {
  const at = `${path}.${field}`;
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    r.report(at, "must be the PEM text of one or more CA certificates", caSetCommand(at));
    return undefined;
  }
  if (!leg.usesTls) {
    r.report(
      at,
      `is set, but ${leg.what} ${leg.why ?? "does not use TLS"}, so no certificate is checked against it`,
      `${rmCommand(at)} (or use TLS for ${leg.what})`,
    );
    return undefined;
  }
  const problem = bundleProblem(value, now);
  if (problem) {
    r.report(
      at,
      `${problem}; it must hold the CA certificates (PEM) that ${leg.what}'s certificate chains to`,
      caSetCommand(at),
    );
    return undefined;
  }
  return value;
}

/** What is wrong with a PEM bundle, in words that never quote it; undefined when every block is a usable certificate. */
export function bundleProblem(pem: string, now: Date): string | undefined {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.some((b) => b[1].includes("PRIVATE KEY")))
    return "holds a private key, which must never be in stack config (a CA bundle is certificates only)";
  const outside = pem.replace(PEM_BLOCK, "").trim();
  if (blocks.length === 0 || outside !== "") return "is not PEM text (-----BEGIN CERTIFICATE----- blocks)";
  const others = blocks.filter((b) => b[1] !== "CERTIFICATE");
  if (others.length > 0) return `holds a ${others[0][1]} block, not only CERTIFICATE blocks`;
  for (const [i, block] of blocks.entries()) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block[0]);
    } catch {
      return `certificate ${i + 1} of ${blocks.length} does not parse`;
    }
    if (new Date(cert.validTo) < now)
      return `certificate ${i + 1} of ${blocks.length} (${cert.subject.replace(/\n/g, ", ")}) expired on ${cert.validTo}`;
  }
  return undefined;
}

/** True for the Kafka security protocols that run over TLS. */
export function protocolUsesTls(protocol: string): boolean {
  return protocol === "SASL_SSL" || protocol === "SSL";
}
