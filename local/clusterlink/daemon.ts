// The emulator as a detached process that outlives `npm run local:up`: main.ts serves and writes
// <stateDir>/clusterlink/{pid,endpoint.json}; start is idempotent (a live daemon is reused), stop
// signals the recorded pid only.
import * as fs from "node:fs";
import * as path from "node:path";
import { httpGet, isAlive, readJsonFile, readPidFile, spawnDetached, terminate, waitUntil } from "../daemon";
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

function readInfo(stateDir?: string): DaemonInfo | undefined {
  return readJsonFile<DaemonInfo>(daemonEndpointFile(stateDir));
}

/** Any HTTP answer (401 without credentials) proves the server is up. */
async function answers(info: DaemonInfo): Promise<boolean> {
  return (await httpGet(`${info.url}/kafka/v3/clusters`)) !== undefined;
}

export async function runningClusterLinkDaemon(opts: { stateDir?: string } = {}): Promise<DaemonInfo | undefined> {
  const info = readInfo(opts.stateDir);
  return info && isAlive(info.pid) && (await answers(info)) ? info : undefined;
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
  const env: NodeJS.ProcessEnv = { KAFKA_CUTOVER_STATE: stateDir };
  if (opts.port !== undefined) env.KAFKA_CUTOVER_CLUSTERLINK_PORT = String(opts.port);
  if (opts.kafkaStateDir !== undefined) env.KAFKA_CUTOVER_CLUSTERLINK_KAFKA_STATE = resolveStateDir(opts.kafkaStateDir);
  const logFile = path.join(dir, "daemon.log");
  const child = spawnDetached({ script: path.join(__dirname, "main.ts"), logFile, env });
  const info = await waitUntil(
    async () => {
      const info = readInfo(stateDir);
      return info && info.pid === child.pid && (await answers(info)) ? info : undefined;
    },
    { timeoutMs: opts.timeoutMs ?? 60_000, child, failure: `the cluster-link emulator did not start; see ${logFile}` },
  );
  return { ...info, alreadyRunning: false };
}

export async function stopClusterLinkDaemon(opts: { stateDir?: string; timeoutMs?: number } = {}): Promise<boolean> {
  const pid = readInfo(opts.stateDir)?.pid ?? readPidFile(daemonPidFile(opts.stateDir));
  const how = pid === undefined ? "none" : await terminate(pid, { timeoutMs: opts.timeoutMs ?? 15_000 });
  fs.rmSync(daemonEndpointFile(opts.stateDir), { force: true });
  fs.rmSync(daemonPidFile(opts.stateDir), { force: true });
  return how !== "none";
}
