// The gateway as a detached process that outlives `npm run local:up`: main.ts watches Gateway CRs through a
// kubeconfig and serves their routes; start is idempotent, stop kills by pid (then its process group).
import * as fs from "node:fs";
import * as path from "node:path";
import {
  httpGet,
  isAlive,
  readJsonFile,
  readPidFile,
  spawnDetached,
  terminate,
  waitUntil,
  type TerminateResult,
} from "../daemon";
import { resolveStateDir } from "../kafka/paths";
import { gatewayDaemonFile, gatewayDir, gatewayLogFile, gatewayPidFile } from "./paths";
import type { GatewayDaemonStatus } from "./statusServer";
import type { GatewayBehaviour } from "./proxy/gateway";

export interface GatewayDaemonOptions {
  stateDir?: string;
  /** kubeconfig of the cluster (the Kubernetes API emulator's `<stateDir>/kubernetes/kubeconfig` locally). */
  kubeconfig: string;
  /** Namespace whose Gateway CRs are served (default "default"). */
  namespace?: string;
  /** Overrides of the faithful pod behaviour (replicas, reload jitter, drain, fence response); unset: faithful. */
  behaviour?: Partial<GatewayBehaviour>;
  /** How long to wait for the daemon's health endpoint (default 60 s). */
  timeoutMs?: number;
}

/** The contents of `<stateDir>/gateway/daemon.json`. */
export interface GatewayDaemonInfo {
  pid: number;
  /** The loopback status endpoint: `GET <url>/healthz`, `GET <url>/status` (a {@link GatewayDaemonStatus}). */
  url: string;
  port: number;
  kubeconfig: string;
  namespace: string;
  logFile: string;
}

export interface StopGatewayDaemonResult {
  pid?: number;
  how: TerminateResult;
}

const MAIN = path.join(__dirname, "main.ts");

/** Guards against a recycled pid: on Linux, the process must be our main.ts (elsewhere the pid is trusted). */
function isGatewayProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(MAIN);
  } catch {
    return process.platform !== "linux";
  }
}

function readInfo(stateDir: string): GatewayDaemonInfo | undefined {
  return readJsonFile<GatewayDaemonInfo>(gatewayDaemonFile(stateDir));
}

async function getJson<T>(url: string): Promise<T | undefined> {
  const res = await httpGet(url);
  try {
    return res?.status === 200 ? (JSON.parse(res.body) as T) : undefined;
  } catch {
    return undefined;
  }
}

async function healthy(info: GatewayDaemonInfo): Promise<boolean> {
  const health = await getJson<{ pid?: number }>(`${info.url}/healthz`);
  return health?.pid === info.pid;
}

/** The pid of this state dir's daemon if that process is alive (synchronous: no health check). */
export function gatewayDaemonPid(opts: { stateDir?: string } = {}): number | undefined {
  const stateDir = resolveStateDir(opts.stateDir);
  const pid = readInfo(stateDir)?.pid ?? readPidFile(gatewayPidFile(stateDir));
  return pid !== undefined && isGatewayProcess(pid) ? pid : undefined;
}

/** The daemon serving this state dir, if its pid is alive and its health endpoint answers with that pid. */
export async function runningGatewayDaemon(opts: { stateDir?: string } = {}): Promise<GatewayDaemonInfo | undefined> {
  const info = readInfo(resolveStateDir(opts.stateDir));
  return info && isAlive(info.pid) && (await healthy(info)) ? info : undefined;
}

/** The daemon's `/status`: applied routes (name → endpoint, target domain, fenced, generation) and each Gateway's Ready. */
export async function gatewayDaemonStatus(opts: { stateDir?: string } = {}): Promise<GatewayDaemonStatus | undefined> {
  const info = await runningGatewayDaemon(opts);
  return info ? getJson<GatewayDaemonStatus>(`${info.url}/status`) : undefined;
}

/**
 * Starts the daemon for a state dir, or returns the live one. A live daemon watching another kubeconfig or
 * namespace is replaced, since it could not serve what the caller asks for.
 */
export async function startGatewayDaemon(
  opts: GatewayDaemonOptions,
): Promise<GatewayDaemonInfo & { alreadyRunning: boolean }> {
  const stateDir = resolveStateDir(opts.stateDir);
  const kubeconfig = path.resolve(opts.kubeconfig);
  const namespace = opts.namespace ?? "default";
  const running = await runningGatewayDaemon({ stateDir });
  if (running && running.kubeconfig === kubeconfig && running.namespace === namespace)
    return { ...running, alreadyRunning: true };
  await stopGatewayDaemon({ stateDir });

  fs.mkdirSync(gatewayDir(stateDir), { recursive: true });
  fs.rmSync(gatewayDaemonFile(stateDir), { force: true });
  const args = ["--state-dir", stateDir, "--kubeconfig", kubeconfig, "--namespace", namespace];
  if (opts.behaviour !== undefined) args.push("--behaviour", JSON.stringify(opts.behaviour));
  const child = spawnDetached({
    script: MAIN,
    args,
    logFile: gatewayLogFile(stateDir),
    env: { KAFKA_CUTOVER_STATE: stateDir },
  });
  try {
    const info = await waitUntil(
      async () => {
        const info = readInfo(stateDir);
        return info && info.pid === child.pid && (await healthy(info)) ? info : undefined;
      },
      {
        timeoutMs: opts.timeoutMs ?? 60_000,
        child,
        failure: `the gateway daemon did not start; see ${gatewayLogFile(stateDir)}`,
      },
    );
    return { ...info, alreadyRunning: false };
  } catch (err) {
    if (child.pid !== undefined && isAlive(child.pid)) process.kill(child.pid, "SIGKILL");
    throw err;
  }
}

/** SIGTERM, then SIGKILL (the whole process group) after `timeoutMs` (default 10 s); removes the pid and daemon files. */
export async function stopGatewayDaemon(
  opts: { stateDir?: string; timeoutMs?: number } = {},
): Promise<StopGatewayDaemonResult> {
  const stateDir = resolveStateDir(opts.stateDir);
  const pid = gatewayDaemonPid({ stateDir });
  const how = pid === undefined ? "none" : await terminate(pid, { timeoutMs: opts.timeoutMs ?? 10_000, group: true });
  fs.rmSync(gatewayDaemonFile(stateDir), { force: true });
  fs.rmSync(gatewayPidFile(stateDir), { force: true });
  return how === "none" ? { how } : { pid, how };
}
