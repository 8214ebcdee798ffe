// Daemon entry point: `ts-node --transpile-only local/kubernetes/main.ts`. Environment:
// KAFKA_CUTOVER_STATE (state dir), KAFKA_CUTOVER_K8S_PORT, KAFKA_CUTOVER_K8S_DENY,
// KAFKA_CUTOVER_K8S_NAMESPACES. Keeps the token of the previous run (<stateDir>/kubernetes/token) so an existing kubeconfig stays valid.
import * as fs from "node:fs";
import * as path from "node:path";
import { endpointFile, pidFile } from "./daemon";
import type { DaemonInfo } from "./daemon";
import { kubernetesDir, startKubernetesApi } from "./server";

async function main(): Promise<void> {
  const tokenFile = path.join(kubernetesDir(), "token");
  const token = fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, "utf8").trim() : undefined;
  const namespaces = (process.env.KAFKA_CUTOVER_K8S_NAMESPACES ?? "").split(",").filter(Boolean);
  const api = await startKubernetesApi({
    persist: true,
    namespaces,
    ...(token ? { token } : {}),
    ...(process.env.KAFKA_CUTOVER_K8S_PORT ? { port: Number(process.env.KAFKA_CUTOVER_K8S_PORT) } : {}),
  });
  fs.writeFileSync(tokenFile, `${api.token}\n`, { mode: 0o600 });
  const info: DaemonInfo = { pid: process.pid, url: api.url, token: api.token, kubeconfigPath: api.kubeconfigPath };
  fs.writeFileSync(pidFile(), `${process.pid}\n`);
  fs.writeFileSync(`${endpointFile()}.tmp`, JSON.stringify(info, null, 2), { mode: 0o600 });
  fs.renameSync(`${endpointFile()}.tmp`, endpointFile());
  console.log(`kubernetes API emulator on ${api.url} (pid ${process.pid}); kubeconfig ${api.kubeconfigPath}`);
  const shutdown = (): void => {
    api.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
