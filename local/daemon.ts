// Running a local service as a detached process owned by a state folder: the process outlives whoever started
// it and records its pid and endpoint in that folder, through which it is later found, awaited and stopped.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import { repoRoot } from "./kafka/paths";

export type TerminateResult = "none" | "term" | "kill";

export interface SpawnDetachedOptions {
  /** The TypeScript entry point, run through ts-node (transpile only) from the repository root. */
  script: string;
  args?: string[];
  /** stdout and stderr are appended here. */
  logFile: string;
  /** Set on top of this process's environment. */
  env?: NodeJS.ProcessEnv;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isAlive(pid: number): boolean {
  // kill(0 or a negative pid) addresses a whole process group, never a single daemon.
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** The pid a pid file holds, or undefined when it is missing or holds anything but a positive integer. */
export function readPidFile(file: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
  return /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

/** Starts `script` as the leader of a new process group, unreferenced, so it outlives this process. */
export function spawnDetached(opts: SpawnDetachedOptions): ChildProcess {
  const log = fs.openSync(opts.logFile, "a");
  try {
    const child = spawn(
      process.execPath,
      ["-r", require.resolve("ts-node/register/transpile-only"), opts.script, ...(opts.args ?? [])],
      { detached: true, stdio: ["ignore", log, log], env: { ...process.env, ...opts.env }, cwd: repoRoot },
    );
    child.unref();
    return child;
  } finally {
    fs.closeSync(log);
  }
}

/**
 * Polls `check` every 100 ms until it returns a value. Throws `failure` once `timeoutMs` pass or as soon as
 * `child` has exited, since a dead child will never pass the check.
 */
export async function waitUntil<T>(
  check: () => Promise<T | undefined>,
  opts: { timeoutMs: number; child: ChildProcess; failure: string },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    if (opts.child.exitCode !== null || opts.child.signalCode !== null) break;
    await sleep(100);
  }
  throw new Error(opts.failure);
}

async function waitForExit(pid: number, timeoutMs: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(pollMs);
}

/**
 * SIGTERM, then SIGKILL if the process outlives `timeoutMs`; "none" when it was not running. With `group`, the
 * process group it leads (a detached child's) is killed as well, taking along whatever the service spawned.
 */
export async function terminate(pid: number, opts: { timeoutMs: number; group?: boolean }): Promise<TerminateResult> {
  if (!isAlive(pid)) return "none";
  process.kill(pid, "SIGTERM");
  await waitForExit(pid, opts.timeoutMs, 50);
  const how: TerminateResult = isAlive(pid) ? "kill" : "term";
  if (how === "kill") process.kill(pid, "SIGKILL");
  if (opts.group) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // no process left in the group
    }
  }
  // A killed child of this very process stays visible until Node reaps it.
  if (how === "kill") await waitForExit(pid, 5_000, 20);
  return how;
}

/** A GET's status and body, or undefined when nothing answers within `timeoutMs` (default 2 s). */
export function httpGet(
  url: string,
  opts: { headers?: http.OutgoingHttpHeaders; timeoutMs?: number } = {},
): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { headers: opts.headers, timeout: opts.timeoutMs ?? 2_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", () => resolve(undefined));
    });
    req.on("error", () => resolve(undefined));
    req.on("timeout", () => {
      req.destroy();
      resolve(undefined);
    });
  });
}
