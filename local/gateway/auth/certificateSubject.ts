import type { X509Certificate } from "node:crypto";

/**
 * A certificate's subject as Kafka's principal mapping rules see it: the RFC 2253 string of Java's
 * `X500Principal.getName()`, most specific RDN first (`CN=app,OU=apps,O=example`), values escaped.
 * Node prints the subject one RDN a line in certificate order, already RFC 2253-escaped, with the
 * values of a multi-valued RDN joined by " + "; reversing the lines gives Java's form. Attributes
 * without an RFC 2253 keyword (e.g. emailAddress) keep OpenSSL's short name, where Java prints the OID.
 */
export function rfc2253Subject(cert: X509Certificate): string {
  return cert.subject
    .split("\n")
    .filter((line) => line.length > 0)
    .reverse()
    .map((rdn) => rdn.split(" + ").join("+"))
    .join(",");
}
