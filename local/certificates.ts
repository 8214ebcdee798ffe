/**
 * The certificates an mTLS migration would already have, issued by one local CA: the Gateway's server
 * certificate for 127.0.0.1/localhost and a client certificate per application principal, whose subject
 * `CN=<principal>,OU=apps,O=kafka-cutover` the mapping rule `RULE:^CN=([^,]+).*$/$1/` turns back into the
 * principal. Made once per state folder (under `<state>/tls/`) and listed in endpoints.json as `tls`.
 */
import * as path from "node:path";
import { endpointsFile, mergeEndpoints } from "./kafka";
import {
  ensureCertificateAuthority,
  ensureSignedCertificate,
  type CertificateFiles,
  type LeafCertificateOptions,
} from "./tls";

export interface ClientCertificate extends CertificateFiles {
  /** The subject as Kafka's principal mapping rules see it (RFC 2253). */
  readonly subject: string;
}

/** endpoints.json `tls`: paths of PEM files. */
export interface LocalCertificates {
  readonly ca: CertificateFiles;
  /** The Gateway's server certificate (IP:127.0.0.1, DNS:localhost), signed by `ca`. */
  readonly server: CertificateFiles;
  /** Client certificates by principal, signed by `ca`. */
  readonly clients: Readonly<Record<string, ClientCertificate>>;
}

export function tlsDir(stateDir: string): string {
  return path.join(stateDir, "tls");
}

/** What openssl's `-subj` takes and what the RFC 2253 DN of that subject is, for an app principal. */
export function appSubject(principal: string): { subj: string; dn: string } {
  return { subj: `/O=kafka-cutover/OU=apps/CN=${principal}`, dn: `CN=${principal},OU=apps,O=kafka-cutover` };
}

export const SERVER_CERTIFICATE: LeafCertificateOptions = {
  subject: "/O=kafka-cutover/CN=localhost",
  usage: "server",
  altNames: ["IP:127.0.0.1", "DNS:localhost"],
};

/** Creates whatever is missing of the CA, the server certificate and the principals' client certificates. */
export function ensureCertificates(dir: string, principals: readonly string[]): LocalCertificates {
  const ca = ensureCertificateAuthority(dir, "ca", "kafka-cutover local CA");
  const server = ensureSignedCertificate(ca, dir, "gateway", SERVER_CERTIFICATE);
  const clients: Record<string, ClientCertificate> = {};
  for (const principal of principals) {
    const { subj, dn } = appSubject(principal);
    const files = ensureSignedCertificate(ca, path.join(dir, "clients"), principal, { subject: subj, usage: "client" });
    clients[principal] = { ...files, subject: dn };
  }
  return { ca, server, clients };
}

/** The local environment's certificates, made once per state folder and recorded in endpoints.json. */
export function ensureLocalCertificates(stateDir: string, principals: readonly string[]): LocalCertificates {
  const certificates = ensureCertificates(tlsDir(stateDir), principals);
  mergeEndpoints(endpointsFile(stateDir), { tls: certificates });
  return certificates;
}
