import * as path from "node:path";
import { resolveStateDir } from "../kafka/paths";

export function gatewayDir(stateDir?: string): string {
  return path.join(resolveStateDir(stateDir), "gateway");
}

export function gatewayPidFile(stateDir?: string): string {
  return path.join(gatewayDir(stateDir), "gateway.pid");
}
