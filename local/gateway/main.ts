// Daemon entry point (started by daemon.ts, or by hand):
//   ts-node --transpile-only local/gateway/main.ts --kubeconfig PATH [--namespace NS] [--state-dir DIR] [--behaviour JSON]
// Fallbacks: KAFKA_CUTOVER_GATEWAY_KUBECONFIG, then KUBECONFIG; KAFKA_CUTOVER_GATEWAY_NAMESPACE, then "default";
// KAFKA_CUTOVER_STATE; KAFKA_CUTOVER_GATEWAY_BEHAVIOUR (a JSON GatewayBehaviour override, like --behaviour). Writes <stateDir>/gateway/{gateway.pid,daemon.json}; logs to stdout (gateway.log when detached).
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveStateDir } from "../kafka/paths";
import type { GatewayDaemonInfo } from "./daemon";
import { startKubernetesGateway } from "./index";
import type { GatewayBehaviour } from "./proxy/gateway";
import { gatewayDaemonFile, gatewayDir, gatewayLogFile, gatewayPidFile } from "./paths";
import { startStatusServer } from "./statusServer";

const SHUTDOWN_GRACE_MS = 8_000;

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function log(message: string): void {
  console.log(`${new Date().toISOString()} ${message}`);
}

function writeAtomically(file: string, text: string): void {
  fs.writeFileSync(`${file}.${process.pid}.tmp`, text);
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}

async function main(): Promise<void> {
  const stateDir = resolveStateDir(argument("state-dir"));
  const kubeconfigArg =
    argument("kubeconfig") ??
    process.env.KAFKA_CUTOVER_GATEWAY_KUBECONFIG ??
    process.env.KUBECONFIG?.split(path.delimiter)[0];
  if (!kubeconfigArg)
    throw new Error("no kubeconfig: pass --kubeconfig PATH (or set KAFKA_CUTOVER_GATEWAY_KUBECONFIG)");
  const kubeconfig = path.resolve(kubeconfigArg);
  const namespace = argument("namespace") ?? process.env.KAFKA_CUTOVER_GATEWAY_NAMESPACE ?? "default";
  // Overrides of the faithful pod behaviour (see proxy/gateway.ts); unset, the daemon behaves like the real Gateway.
  const behaviourText = argument("behaviour") ?? process.env.KAFKA_CUTOVER_GATEWAY_BEHAVIOUR;
  const behaviour = behaviourText ? (JSON.parse(behaviourText) as Partial<GatewayBehaviour>) : undefined;
  fs.mkdirSync(gatewayDir(stateDir), { recursive: true });

  // The routes come up once Gateways and Secrets are listed; the status endpoint answers before that (synced: false).
  const gateway = await startKubernetesGateway({
    stateDir,
    kubeconfig,
    namespace,
    behaviour,
    log,
    waitForSync: false,
  });
  const { controller } = gateway;
  const server = await startStatusServer(
    () => ({
      pid: process.pid,
      namespace,
      kubeconfig,
      synced: controller.synced,
      gateways: controller.summaries(),
      routes: controller.routes(),
    }),
    0,
    (faults) => {
      log(`faults: ${JSON.stringify(faults)}`);
      controller.setFaults(faults);
    },
  );
  const info: GatewayDaemonInfo = {
    pid: process.pid,
    url: server.url,
    port: server.port,
    kubeconfig,
    namespace,
    logFile: gatewayLogFile(stateDir),
  };
  fs.writeFileSync(gatewayPidFile(stateDir), `${process.pid}\n`);
  writeAtomically(gatewayDaemonFile(stateDir), `${JSON.stringify(info, null, 2)}\n`);
  log(
    `gateway daemon (pid ${process.pid}) watching gateways in namespace ${namespace} via ${kubeconfig} (${controller.client.server}); status ${server.url}/status`,
  );

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping routes`);
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    const ours = (file: string): boolean => {
      try {
        return fs.readFileSync(file, "utf8").includes(String(process.pid));
      } catch {
        return false;
      }
    };
    Promise.all([gateway.stop(), server.close()])
      .then(() => {
        for (const file of [gatewayDaemonFile(stateDir), gatewayPidFile(stateDir)])
          if (ours(file)) fs.rmSync(file, { force: true });
        log("stopped");
        process.exit(0);
      })
      .catch((err: Error) => {
        log(`stop failed: ${err.message}`);
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
