// Certificates for the local environment, made once per folder with the openssl CLI (Node can read
// certificates but not issue them) and reused while their files exist.
// - The Kubernetes emulator serves https with a self-signed certificate for 127.0.0.1: client-go reads a
//   kubeconfig's credentials only when the transport is TLS (tools/clientcmd: "only try to read the auth
//   information if we are secure"), so a bearer token over plain http is never sent by the kubernetes provider.
// - The Gateway's mTLS routes need a CA, a server certificate it signs for 127.0.0.1/localhost, and one
//   client certificate per application principal, as a private CA would issue them.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface TlsMaterial {
  cert: string;
  key: string;
}

/** Where a certificate and its key are on disk (PEM). */
export interface CertificateFiles {
  cert: string;
  key: string;
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
const DAYS = ["-days", "3650"];

function openssl(args: string[]): void {
  execFileSync("openssl", args, { stdio: "pipe" });
}

/** Runs `make(certTmp, keyTmp)` unless both files exist, then moves the results in place (never half-written). */
function once(files: CertificateFiles, make: (certTmp: string, keyTmp: string) => void): CertificateFiles {
  if (fs.existsSync(files.cert) && fs.existsSync(files.key)) return files;
  fs.mkdirSync(path.dirname(files.cert), { recursive: true });
  const certTmp = `${files.cert}.tmp`;
  const keyTmp = `${files.key}.tmp`;
  make(certTmp, keyTmp);
  fs.chmodSync(keyTmp, 0o600);
  fs.renameSync(keyTmp, files.key);
  fs.renameSync(certTmp, files.cert);
  return files;
}

function read(files: CertificateFiles): TlsMaterial {
  return { cert: fs.readFileSync(files.cert, "utf8"), key: fs.readFileSync(files.key, "utf8") };
}

/** A self-signed CA certificate for `/CN=<commonName>` with these extensions, made once. */
function selfSigned(files: CertificateFiles, commonName: string, extensions: readonly string[]): CertificateFiles {
  return once(files, (cert, key) =>
    openssl([
      "req",
      "-x509",
      ...EC_KEY,
      ...DAYS,
      "-subj",
      `/CN=${commonName}`,
      ...extensions.flatMap((e) => ["-addext", e]),
      "-keyout",
      key,
      "-out",
      cert,
    ]),
  );
}

/** The Kubernetes emulator's self-signed certificate for 127.0.0.1 (`<dir>/tls.crt`, `<dir>/tls.key`). */
export function ensureCertificate(dir: string): TlsMaterial {
  const files = { cert: path.join(dir, "tls.crt"), key: path.join(dir, "tls.key") };
  return read(
    selfSigned(files, "kafka-cutover-kubernetes-emulator", [
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "basicConstraints=critical,CA:TRUE",
    ]),
  );
}

/** A certificate authority (`<dir>/<name>.crt`, `.key`) whose subject is `/CN=<commonName>`. */
export function ensureCertificateAuthority(dir: string, name: string, commonName: string): CertificateFiles {
  return selfSigned({ cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) }, commonName, [
    "basicConstraints=critical,CA:TRUE",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
}

export interface LeafCertificateOptions {
  /** openssl's `-subj` form, certificate order: `/O=kafka-cutover/OU=apps/CN=demo-app`. */
  subject: string;
  /** serverAuth certificates name the addresses they serve; clientAuth ones identify a client. */
  usage: "server" | "client";
  /** Subject alternative names, e.g. `IP:127.0.0.1`, `DNS:localhost` (servers). */
  altNames?: readonly string[];
}

/** A certificate signed by `ca` (`<dir>/<name>.crt`, `.key`), made once. */
export function ensureSignedCertificate(
  ca: CertificateFiles,
  dir: string,
  name: string,
  opts: LeafCertificateOptions,
): CertificateFiles {
  return once({ cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) }, (cert, key) => {
    const csr = `${cert}.csr`;
    const extensions = `${cert}.ext`;
    fs.writeFileSync(
      extensions,
      [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature",
        `extendedKeyUsage=${opts.usage === "server" ? "serverAuth" : "clientAuth"}`,
        ...(opts.altNames && opts.altNames.length > 0 ? [`subjectAltName=${opts.altNames.join(",")}`] : []),
      ].join("\n") + "\n",
    );
    try {
      openssl(["req", "-new", ...EC_KEY, "-subj", opts.subject, "-keyout", key, "-out", csr]);
      openssl([
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        ca.cert,
        "-CAkey",
        ca.key,
        "-set_serial",
        `0x${randomBytes(15).toString("hex")}`,
        ...DAYS,
        "-extfile",
        extensions,
        "-out",
        cert,
      ]);
    } finally {
      fs.rmSync(csr, { force: true });
      fs.rmSync(extensions, { force: true });
    }
  });
}
