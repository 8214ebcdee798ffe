// The kubeconfig clients use to reach the emulator: plain http, a bearer token, one context.
import * as fs from "node:fs";
import * as path from "node:path";

export const CLUSTER_NAME = "kafka-cutover-local";
export const USER = "kafka-cutover";

export interface KubeconfigParams {
  server: string;
  token: string;
  namespace: string;
  /** the server's certificate (PEM) when it serves https */
  caPem?: string;
}

export function renderKubeconfig(p: KubeconfigParams): string {
  const q = (s: string): string => JSON.stringify(s);
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${CLUSTER_NAME}`,
    "  cluster:",
    `    server: ${q(p.server)}`,
    ...(p.caPem ? [`    certificate-authority-data: ${Buffer.from(p.caPem).toString("base64")}`] : []),
    "users:",
    `- name: ${USER}`,
    "  user:",
    `    token: ${q(p.token)}`,
    "contexts:",
    `- name: ${CLUSTER_NAME}`,
    "  context:",
    `    cluster: ${CLUSTER_NAME}`,
    `    user: ${USER}`,
    `    namespace: ${q(p.namespace)}`,
    `current-context: ${CLUSTER_NAME}`,
    "preferences: {}",
    "",
  ].join("\n");
}

export function writeKubeconfig(file: string, p: KubeconfigParams): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, renderKubeconfig(p), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
