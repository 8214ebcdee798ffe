import { spawn } from "node:child_process";
import * as fs from "node:fs";

/**
 * A process counts as ours only if it is alive (not a zombie) and its command line contains `marker`
 * (the absolute path of its config file), so a recycled pid is never mistaken for a broker.
 */
export function isOurProcess(pid: number, marker: string): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 3 (after the parenthesised command name) is the state; Z and X are dead.
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X") return false;
    return fs
      .readFileSync(`/proc/${pid}/cmdline`, "utf8")
      .split("\0")
      .some((arg) => arg.includes(marker));
  } catch {
    return false;
  }
}

export function readPid(pidFile: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(pidFile, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface DetachedSpec {
  command: string;
  args: string[];
  cwd: string;
  logFile: string;
  pidFile: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts a process in its own session, outliving this one; stdout/stderr go to `logFile`. */
export function spawnDetached(spec: DetachedSpec): number {
  const out = fs.openSync(spec.logFile, "a");
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      detached: true,
      stdio: ["ignore", out, out],
      env: spec.env ?? process.env,
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    child.unref();
    fs.writeFileSync(spec.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    fs.closeSync(out);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminate(pid: number, marker: string, graceMs = 20_000): Promise<"none" | "term" | "kill"> {
  if (!isOurProcess(pid, marker)) return "none";
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isOurProcess(pid, marker)) return "term";
    await delay(100);
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
  const killDeadline = Date.now() + 5_000;
  while (isOurProcess(pid, marker)) {
    if (Date.now() > killDeadline) throw new Error(`process ${pid} survived SIGKILL`);
    await delay(50);
  }
  return "kill";
}
