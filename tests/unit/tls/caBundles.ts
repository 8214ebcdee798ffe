import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureCertificateAuthority, ensureSignedCertificate } from "../../../local/tls";

/** A throwaway CA and a server certificate it signed for 127.0.0.1/localhost, as PEM text. */
export function testCa(): { dir: string; caPem: string; caKeyPem: string; serverCert: string; serverKey: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-cutover-tls-"));
  const ca = ensureCertificateAuthority(dir, "ca", "test CA");
  const server = ensureSignedCertificate(ca, dir, "server", {
    subject: "/CN=localhost",
    usage: "server",
    altNames: ["IP:127.0.0.1", "DNS:localhost"],
  });
  return {
    dir,
    caPem: fs.readFileSync(ca.cert, "utf8"),
    caKeyPem: fs.readFileSync(ca.key, "utf8"),
    serverCert: fs.readFileSync(server.cert, "utf8"),
    serverKey: fs.readFileSync(server.key, "utf8"),
  };
}
