import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DestinationEndpoints, SourceEndpoints } from "./index";
import { resolveCacheRoot } from "./paths";

/** Must match LIBRDKAFKA_VERSION in install-kcat.sh. */
const LIBRDKAFKA_VERSION = "2.13.0";

/** Whether kcat is on the PATH (local/setup.sh installs it; tests that need it say so when it is not). */
export function kcatInstalled(): boolean {
  try {
    execFileSync("which", ["kcat"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Environment for Debian's kcat, with the newer librdkafka from install-kcat.sh first on the library path. */
export function kcatEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const libDir = path.join(resolveCacheRoot(), `librdkafka-${LIBRDKAFKA_VERSION}`);
  if (!fs.existsSync(path.join(libDir, "librdkafka.so.1"))) return { ...base };
  return { ...base, LD_LIBRARY_PATH: [libDir, base.LD_LIBRARY_PATH].filter(Boolean).join(":") };
}

/**
 * Writes a librdkafka property file for an endpoint (mode 0600), so credentials never appear on a command
 * line. Returns its path; the caller deletes it.
 */
export function writeKcatConfig(
  endpoint: SourceEndpoints | DestinationEndpoints,
  credentials: { username: string; password: string },
  dir: string = os.tmpdir(),
): string {
  const file = path.join(dir, `kcat-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.conf`);
  const lines = [
    `bootstrap.servers=${endpoint.bootstrap}`,
    `security.protocol=${endpoint.securityProtocol}`,
    `sasl.mechanisms=${endpoint.mechanism}`,
    `sasl.username=${credentials.username}`,
    `sasl.password=${credentials.password}`,
  ];
  fs.writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  return file;
}

export interface KcatResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs kcat with `args`, feeding `input` on stdin; kills it after `timeoutMs`. */
export function runKcat(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<KcatResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("kcat", args, { env: kcatEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`kcat ${args.join(" ")} timed out after ${opts.timeoutMs ?? 30_000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}
