// The certificates mTLS tests use: local:up's (endpoints.json `tls`) when the run has them, else the same
// ones made by the same code in a temp folder; plus, on demand, a CA the gateway does not trust.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { appSubject, ensureCertificates, type LocalCertificates } from "../../../../local/certificates";
import { ensureCertificateAuthority, ensureSignedCertificate, type CertificateFiles } from "../../../../local/tls";

export function readPem(files: CertificateFiles): { cert: string; key: string } {
  return { cert: fs.readFileSync(files.cert, "utf8"), key: fs.readFileSync(files.key, "utf8") };
}

/** Certificates with client certificates for `principals` (made if local:up did not make them). */
export function gatewayCertificates(principals: readonly string[]): LocalCertificates {
  const file = process.env.KAFKA_CUTOVER_ENDPOINTS;
  const recorded =
    file && fs.existsSync(file)
      ? (JSON.parse(fs.readFileSync(file, "utf8")) as { tls?: LocalCertificates }).tls
      : undefined;
  if (recorded && principals.every((p) => recorded.clients[p])) return recorded;
  return ensureCertificates(fs.mkdtempSync(path.join(os.tmpdir(), "gw-tls-")), principals);
}

/** A client certificate for `principal` from a CA of its own, which no gateway route trusts. */
export function certificateFromAnotherCa(principal: string): CertificateFiles {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-other-ca-"));
  const ca = ensureCertificateAuthority(dir, "ca", "some other CA");
  return ensureSignedCertificate(ca, dir, principal, { subject: appSubject(principal).subj, usage: "client" });
}
