// The emulator as a detached process that outlives `npm run local:up`: main.ts runs the server and
// writes <stateDir>/kubernetes/{pid,endpoint.json,kubeconfig}; start is idempotent, stop kills by pid.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readInfo(stateDir?: string): DaemonInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(endpointFile(stateDir), "utf8")) as DaemonInfo;
  } catch {
    return undefined;
  }
}

function answersVersion(info: DaemonInfo): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(
      `${info.url}/version`,
      { headers: { Authorization: `Bearer ${info.token}` }, timeout: 2000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** The running daemon for this stateDir, if its pid is alive and it answers /version. */
export async function runningKubernetesApiDaemon(opts: { stateDir?: string } = {}): Promise<DaemonInfo | undefined> {
  const info = readInfo(opts.stateDir);
  if (info && alive(info.pid) && (await answersVersion(info))) return info;
  return undefined;
}

export async function startKubernetesApiDaemon(opts: DaemonOptions = {}): Promise<DaemonInfo> {
  const stateDir = resolveStateDir(opts.stateDir);
  const running = await runningKubernetesApiDaemon({ stateDir });
  if (running) return running;
  const dir = kubernetesDir(stateDir);
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(endpointFile(stateDir), { force: true });
  const out = fs.openSync(path.join(dir, "daemon.log"), "a");
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_CUTOVER_STATE: stateDir };
  if (opts.port !== undefined) env.KAFKA_CUTOVER_K8S_PORT = String(opts.port);
  if (opts.deny) env.KAFKA_CUTOVER_K8S_DENY = opts.deny.join(",");
  if (opts.namespaces) env.KAFKA_CUTOVER_K8S_NAMESPACES = opts.namespaces.join(",");
  const child = spawn(
    process.execPath,
    ["-r", require.resolve("ts-node/register/transpile-only"), path.join(__dirname, "main.ts")],
    {
      detached: true,
      stdio: ["ignore", out, out],
      env,
      cwd: path.join(__dirname, "..", ".."),
    },
  );
  child.unref();
  fs.closeSync(out);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    const info = readInfo(stateDir);
    if (info && info.pid === child.pid && (await answersVersion(info))) return info;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the Kubernetes API emulator did not start; see ${path.join(dir, "daemon.log")}`);
}

export async function stopKubernetesApiDaemon(opts: { stateDir?: string; timeoutMs?: number } = {}): Promise<boolean> {
  const info = readInfo(opts.stateDir);
  let pid = info?.pid;
  if (pid === undefined) {
    try {
      pid = Number(fs.readFileSync(pidFile(opts.stateDir), "utf8").trim());
    } catch {
      return false;
    }
  }
  if (!pid || !alive(pid)) return false;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, "SIGKILL");
  fs.rmSync(endpointFile(opts.stateDir), { force: true });
  fs.rmSync(pidFile(opts.stateDir), { force: true });
  return true;
}
