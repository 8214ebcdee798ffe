// TLS for the kubeconfig. client-go reads a kubeconfig's credentials only when the transport is TLS
// (tools/clientcmd: "only try to read the auth information if we are secure"), so a bearer token over
// plain http is never sent by the kubernetes provider. The emulator therefore serves https with a
// self-signed certificate for 127.0.0.1 (made once per state dir with the openssl CLI) whose PEM goes
// into the kubeconfig as certificate-authority-data; the same port also answers plain http (the first
// byte of a connection tells TLS from HTTP) for our own clients and tests.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface TlsMaterial {
  cert: string;
  key: string;
}

export function ensureCertificate(dir: string): TlsMaterial {
  const certFile = path.join(dir, "tls.crt");
  const keyFile = path.join(dir, "tls.key");
  if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "3650",
        "-subj",
        "/CN=kafka-cutover-kubernetes-emulator",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-keyout",
        `${keyFile}.tmp`,
        "-out",
        `${certFile}.tmp`,
      ],
      { stdio: "pipe" },
    );
    fs.chmodSync(`${keyFile}.tmp`, 0o600);
    fs.renameSync(`${keyFile}.tmp`, keyFile);
    fs.renameSync(`${certFile}.tmp`, certFile);
  }
  return { cert: fs.readFileSync(certFile, "utf8"), key: fs.readFileSync(keyFile, "utf8") };
}
