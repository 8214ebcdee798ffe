import * as path from "node:path";
import { resolveStateDir } from "../kafka/paths";

export function gatewayDir(stateDir?: string): string {
  return path.join(resolveStateDir(stateDir), "gateway");
}

export function gatewayPidFile(stateDir?: string): string {
  return path.join(gatewayDir(stateDir), "gateway.pid");
}

/** The daemon's pid, status-endpoint URL, kubeconfig and namespace (JSON), written once it serves. */
export function gatewayDaemonFile(stateDir?: string): string {
  return path.join(gatewayDir(stateDir), "daemon.json");
}

export function gatewayLogFile(stateDir?: string): string {
  return path.join(gatewayDir(stateDir), "gateway.log");
}
