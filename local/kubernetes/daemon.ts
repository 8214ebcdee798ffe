// The emulator as a detached process that outlives `npm run local:up`: main.ts runs the server and
// writes <stateDir>/kubernetes/{pid,endpoint.json,kubeconfig}; start is idempotent, stop kills by pid.
import * as fs from "node:fs";
import * as path from "node:path";
import { httpGet, isAlive, readJsonFile, readPidFile, spawnDetached, terminate, waitUntil } from "../daemon";
import { kubernetesDir, resolveStateDir } from "./server";

export interface DaemonOptions {
  stateDir?: string;
  port?: number;
  /** deny rules passed to the daemon as KAFKA_CUTOVER_K8S_DENY */
  deny?: string[];
  namespaces?: string[];
  /** how long to wait for the daemon to answer /version (default 30 s) */
  timeoutMs?: number;
}

export interface DaemonInfo {
  pid: number;
  url: string;
  token: string;
  kubeconfigPath: string;
}

export function endpointFile(stateDir?: string): string {
  return path.join(kubernetesDir(stateDir), "endpoint.json");
}

export function pidFile(stateDir?: string): string {
  return path.join(kubernetesDir(stateDir), "pid");
}

function readInfo(stateDir?: string): DaemonInfo | undefined {
  return readJsonFile<DaemonInfo>(endpointFile(stateDir));
}

async function answersVersion(info: DaemonInfo): Promise<boolean> {
  const res = await httpGet(`${info.url}/version`, { headers: { Authorization: `Bearer ${info.token}` } });
  return res?.status === 200;
}

/** The running daemon for this stateDir, if its pid is alive and it answers /version. */
export async function runningKubernetesApiDaemon(opts: { stateDir?: string } = {}): Promise<DaemonInfo | undefined> {
  const info = readInfo(opts.stateDir);
  return info && isAlive(info.pid) && (await answersVersion(info)) ? info : undefined;
}

export async function startKubernetesApiDaemon(opts: DaemonOptions = {}): Promise<DaemonInfo> {
  const stateDir = resolveStateDir(opts.stateDir);
  const running = await runningKubernetesApiDaemon({ stateDir });
  if (running) return running;
  const dir = kubernetesDir(stateDir);
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(endpointFile(stateDir), { force: true });
  const env: NodeJS.ProcessEnv = { KAFKA_CUTOVER_STATE: stateDir };
  if (opts.port !== undefined) env.KAFKA_CUTOVER_K8S_PORT = String(opts.port);
  if (opts.deny) env.KAFKA_CUTOVER_K8S_DENY = opts.deny.join(",");
  if (opts.namespaces) env.KAFKA_CUTOVER_K8S_NAMESPACES = opts.namespaces.join(",");
  const logFile = path.join(dir, "daemon.log");
  const child = spawnDetached({ script: path.join(__dirname, "main.ts"), logFile, env });
  return waitUntil(
    async () => {
      const info = readInfo(stateDir);
      return info && info.pid === child.pid && (await answersVersion(info)) ? info : undefined;
    },
    {
      timeoutMs: opts.timeoutMs ?? 30_000,
      child,
      failure: `the Kubernetes API emulator did not start; see ${logFile}`,
    },
  );
}

export async function stopKubernetesApiDaemon(opts: { stateDir?: string; timeoutMs?: number } = {}): Promise<boolean> {
  const pid = readInfo(opts.stateDir)?.pid ?? readPidFile(pidFile(opts.stateDir));
  if (pid === undefined || (await terminate(pid, { timeoutMs: opts.timeoutMs ?? 10_000 })) === "none") return false;
  fs.rmSync(endpointFile(opts.stateDir), { force: true });
  fs.rmSync(pidFile(opts.stateDir), { force: true });
  return true;
}
