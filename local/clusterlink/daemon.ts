// The emulator as a detached process that outlives `npm run local:up`: main.ts serves and writes
// <stateDir>/clusterlink/{pid,endpoint.json}; start is idempotent (a live daemon is reused), stop
// signals the recorded pid only.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { resolveStateDir } from "../kafka/paths";
import { clusterLinkDir } from "./server";

export interface DaemonInfo {
  pid: number;
  url: string;
  clusterId: string;
}

export interface DaemonOptions {
  stateDir?: string;
  /** State dir of the Kafka pair to link (default: stateDir), e.g. a shared pair for a private daemon. */
  kafkaStateDir?: string;
  port?: number;
  timeoutMs?: number;
}

export function daemonEndpointFile(stateDir?: string): string {
  return path.join(clusterLinkDir(resolveStateDir(stateDir)), "endpoint.json");
}

export function daemonPidFile(stateDir?: string): string {
  return path.join(clusterLinkDir(resolveStateDir(stateDir)), "pid");
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
    return JSON.parse(fs.readFileSync(daemonEndpointFile(stateDir), "utf8")) as DaemonInfo;
  } catch {
    return undefined;
  }
}

/** Any HTTP answer (401 without credentials) proves the server is up. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/kafka/v3/clusters`, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
  });
}

export async function runningClusterLinkDaemon(opts: { stateDir?: string } = {}): Promise<DaemonInfo | undefined> {
  const info = readInfo(opts.stateDir);
  return info && alive(info.pid) && (await answers(info.url)) ? info : undefined;
}

/** What endpoints.json records for the destination's REST API. */
export async function clusterLinkEndpoints(
  opts: { stateDir?: string } = {},
): Promise<{ restEndpoint: string; clusterId: string } | undefined> {
  const info = await runningClusterLinkDaemon(opts);
  return info ? { restEndpoint: info.url, clusterId: info.clusterId } : undefined;
}

export async function startClusterLinkDaemon(
  opts: DaemonOptions = {},
): Promise<DaemonInfo & { alreadyRunning: boolean }> {
  const stateDir = resolveStateDir(opts.stateDir);
  const running = await runningClusterLinkDaemon({ stateDir });
  if (running) return { ...running, alreadyRunning: true };
  const dir = clusterLinkDir(stateDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.rmSync(daemonEndpointFile(stateDir), { force: true });
  const log = fs.openSync(path.join(dir, "daemon.log"), "a");
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_CUTOVER_STATE: stateDir };
  if (opts.port !== undefined) env.KAFKA_CUTOVER_CLUSTERLINK_PORT = String(opts.port);
  if (opts.kafkaStateDir !== undefined) env.KAFKA_CUTOVER_CLUSTERLINK_KAFKA_STATE = resolveStateDir(opts.kafkaStateDir);
  const child = spawn(
    process.execPath,
    ["-r", require.resolve("ts-node/register/transpile-only"), path.join(__dirname, "main.ts")],
    {
      detached: true,
      stdio: ["ignore", log, log],
      env,
      cwd: path.join(__dirname, "..", ".."),
    },
  );
  child.unref();
  fs.closeSync(log);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const info = readInfo(stateDir);
    if (info && info.pid === child.pid && (await answers(info.url))) return { ...info, alreadyRunning: false };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the cluster-link emulator did not start; see ${path.join(dir, "daemon.log")}`);
}

export async function stopClusterLinkDaemon(opts: { stateDir?: string; timeoutMs?: number } = {}): Promise<boolean> {
  const info = readInfo(opts.stateDir);
  let pid = info?.pid;
  if (pid === undefined) {
    const text = fs.existsSync(daemonPidFile(opts.stateDir))
      ? fs.readFileSync(daemonPidFile(opts.stateDir), "utf8")
      : "";
    pid = Number.parseInt(text.trim(), 10) || undefined;
  }
  const wasAlive = pid !== undefined && alive(pid);
  if (pid !== undefined && wasAlive) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (alive(pid)) process.kill(pid, "SIGKILL");
  }
  fs.rmSync(daemonEndpointFile(opts.stateDir), { force: true });
  fs.rmSync(daemonPidFile(opts.stateDir), { force: true });
  return wasAlive;
}
