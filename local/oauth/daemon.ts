// The authorization server as a detached process that outlives `npm run local:up`: main.ts serves and writes
// <stateDir>/oauth/{pid,endpoint.json}; start is idempotent (a live daemon is reused) and keeps the port of
// the last run, because the destination broker's server.properties names the JWKS URL.
import * as fs from "node:fs";
import * as path from "node:path";
import { httpGet, isAlive, readJsonFile, readPidFile, spawnDetached, terminate, waitUntil } from "../daemon";
import { resolveStateDir } from "../kafka/paths";
import { oauthDir } from "./clients";

/** What endpoints.json records as `oauth` (and the destination broker validates tokens against). */
export interface OAuthServerInfo {
  pid: number;
  issuer: string;
  tokenEndpoint: string;
  jwksEndpoint: string;
  /** The `aud` every token carries and the destination expects. */
  audience: string;
  /** Default token lifetime, seconds. */
  lifetimeSeconds: number;
  port: number;
}

/** The audience of the local destination's tokens (Confluent Cloud's identity pools check one too). */
export const LOCAL_AUDIENCE = "kafka-cutover-destination";
/** Short, so that a Gateway's token refresh happens within one test run; KAFKA_CUTOVER_OAUTH_TOKEN_LIFETIME_S overrides. */
export const DEFAULT_TOKEN_LIFETIME_S = 90;

export function oauthEndpointFile(stateDir?: string): string {
  return path.join(oauthDir(resolveStateDir(stateDir)), "endpoint.json");
}

export function oauthPidFile(stateDir?: string): string {
  return path.join(oauthDir(resolveStateDir(stateDir)), "pid");
}

function lastPortFile(stateDir: string): string {
  return path.join(oauthDir(stateDir), "port");
}

/** The server's endpoint file as last written, running or not (the broker's config is written from it). */
export function readOAuthServerInfo(stateDir?: string): OAuthServerInfo | undefined {
  return readJsonFile<OAuthServerInfo>(oauthEndpointFile(stateDir));
}

async function answers(info: OAuthServerInfo): Promise<boolean> {
  return (await httpGet(info.jwksEndpoint))?.status === 200;
}

export async function runningOAuthServer(opts: { stateDir?: string } = {}): Promise<OAuthServerInfo | undefined> {
  const info = readOAuthServerInfo(opts.stateDir);
  return info && isAlive(info.pid) && (await answers(info)) ? info : undefined;
}

export async function startOAuthDaemon(
  opts: { stateDir?: string; timeoutMs?: number } = {},
): Promise<OAuthServerInfo & { alreadyRunning: boolean }> {
  const stateDir = resolveStateDir(opts.stateDir);
  const running = await runningOAuthServer({ stateDir });
  if (running) return { ...running, alreadyRunning: true };
  const dir = oauthDir(stateDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.rmSync(oauthEndpointFile(stateDir), { force: true });
  const lastPort = readPidFile(lastPortFile(stateDir)); // a positive integer, like a pid
  const env: NodeJS.ProcessEnv = {
    KAFKA_CUTOVER_STATE: stateDir,
    ...(lastPort !== undefined ? { KAFKA_CUTOVER_OAUTH_PORT: String(lastPort) } : {}),
  };
  const logFile = path.join(dir, "daemon.log");
  const child = spawnDetached({ script: path.join(__dirname, "main.ts"), logFile, env });
  const info = await waitUntil(
    async () => {
      const info = readOAuthServerInfo(stateDir);
      return info && info.pid === child.pid && (await answers(info)) ? info : undefined;
    },
    { timeoutMs: opts.timeoutMs ?? 60_000, child, failure: `the OAuth server did not start; see ${logFile}` },
  );
  fs.writeFileSync(lastPortFile(stateDir), `${info.port}\n`);
  return { ...info, alreadyRunning: false };
}

export async function stopOAuthDaemon(opts: { stateDir?: string; timeoutMs?: number } = {}): Promise<boolean> {
  const pid = readOAuthServerInfo(opts.stateDir)?.pid ?? readPidFile(oauthPidFile(opts.stateDir));
  const how = pid === undefined ? "none" : await terminate(pid, { timeoutMs: opts.timeoutMs ?? 15_000 });
  fs.rmSync(oauthPidFile(opts.stateDir), { force: true });
  return how !== "none";
}
