// The gateway as a detached process that outlives `npm run local:up`: main.ts watches Gateway CRs through a
// kubeconfig and serves their routes; start is idempotent, stop kills by pid (then its process group).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { resolveStateDir } from "../kafka/paths";
import { gatewayDaemonFile, gatewayDir, gatewayLogFile, gatewayPidFile } from "./paths";
import type { GatewayDaemonStatus } from "./statusServer";

export interface GatewayDaemonOptions {
  stateDir?: string;
  /** kubeconfig of the cluster (the Kubernetes API emulator's `<stateDir>/kubernetes/kubeconfig` locally). */
  kubeconfig: string;
  /** Namespace whose Gateway CRs are served (default "default"). */
  namespace?: string;
  /** How long a fenced request is held before it is answered with the fence's error (daemon default 10 s). */
  fenceHoldMs?: number;
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
  how: "none" | "term" | "kill";
}

const MAIN = path.join(__dirname, "main.ts");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Guards against a recycled pid: on Linux, the process must be our main.ts (elsewhere the pid is trusted). */
function isGatewayProcess(pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(MAIN);
  } catch {
    return process.platform !== "linux";
  }
}

function readInfo(stateDir: string): GatewayDaemonInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(gatewayDaemonFile(stateDir), "utf8")) as GatewayDaemonInfo;
  } catch {
    return undefined;
  }
}

function getJson<T>(url: string, timeoutMs = 2_000): Promise<T | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        try {
          resolve(res.statusCode === 200 ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as T) : undefined);
        } catch {
          resolve(undefined);
        }
      });
      res.on("error", () => resolve(undefined));
    });
    req.on("error", () => resolve(undefined));
    req.on("timeout", () => {
      req.destroy();
      resolve(undefined);
    });
  });
}

async function healthy(info: GatewayDaemonInfo): Promise<boolean> {
  const health = await getJson<{ pid?: number }>(`${info.url}/healthz`);
  return health?.pid === info.pid;
}

/** The pid of this state dir's daemon if that process is alive (synchronous: no health check). */
export function gatewayDaemonPid(opts: { stateDir?: string } = {}): number | undefined {
  const stateDir = resolveStateDir(opts.stateDir);
  const text = fs.existsSync(gatewayPidFile(stateDir)) ? fs.readFileSync(gatewayPidFile(stateDir), "utf8").trim() : "";
  const pid = readInfo(stateDir)?.pid ?? (/^\d+$/.test(text) ? Number(text) : undefined);
  return pid !== undefined && isGatewayProcess(pid) ? pid : undefined;
}

/** The daemon serving this state dir, if its pid is alive and its health endpoint answers with that pid. */
export async function runningGatewayDaemon(opts: { stateDir?: string } = {}): Promise<GatewayDaemonInfo | undefined> {
  const info = readInfo(resolveStateDir(opts.stateDir));
  return info && alive(info.pid) && (await healthy(info)) ? info : undefined;
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
  const out = fs.openSync(gatewayLogFile(stateDir), "a");
  const args = [
    "-r",
    require.resolve("ts-node/register/transpile-only"),
    MAIN,
    "--state-dir",
    stateDir,
    "--kubeconfig",
    kubeconfig,
    "--namespace",
    namespace,
  ];
  if (opts.fenceHoldMs !== undefined) args.push("--fence-hold-ms", String(opts.fenceHoldMs));
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, KAFKA_CUTOVER_STATE: stateDir },
    cwd: path.join(__dirname, "..", ".."),
  });
  child.unref();
  fs.closeSync(out);

  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const info = readInfo(stateDir);
    if (info && info.pid === child.pid && (await healthy(info))) return { ...info, alreadyRunning: false };
    if (child.exitCode !== null || child.signalCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (child.pid !== undefined && alive(child.pid)) process.kill(child.pid, "SIGKILL");
  throw new Error(`the gateway daemon did not start; see ${gatewayLogFile(stateDir)}`);
}

/** SIGTERM, then SIGKILL (the whole process group) after `timeoutMs` (default 10 s); removes the pid and daemon files. */
export async function stopGatewayDaemon(
  opts: { stateDir?: string; timeoutMs?: number } = {},
): Promise<StopGatewayDaemonResult> {
  const stateDir = resolveStateDir(opts.stateDir);
  const pid = gatewayDaemonPid({ stateDir });
  const cleanup = (): void => {
    fs.rmSync(gatewayDaemonFile(stateDir), { force: true });
    fs.rmSync(gatewayPidFile(stateDir), { force: true });
  };
  if (pid === undefined) {
    cleanup();
    return { how: "none" };
  }
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  let how: StopGatewayDaemonResult["how"] = "term";
  if (alive(pid)) {
    how = "kill";
    process.kill(pid, "SIGKILL");
  }
  // detached made the daemon a process-group leader; anything it spawned (unzip, ...) goes with it.
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // no process left in the group
  }
  const reaped = Date.now() + 5_000;
  while (alive(pid) && Date.now() < reaped) await new Promise((r) => setTimeout(r, 20));
  cleanup();
  return { pid, how };
}
