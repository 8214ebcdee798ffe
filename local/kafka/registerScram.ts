/**
 * Registers a SCRAM credential through any Kafka endpoint that takes AlterUserScramCredentials — in
 * particular the Gateway's SCRAM registration route — by running our `ScramUser` Java tool (the real Java
 * Admin client's `alterUserScramCredentials`) against that bootstrap, signed in as `admin`. ScramUser signs
 * in with the mechanism being registered, so `admin` must be able to log in with it there (on the
 * emulated Gateway's registration route: a store principal with its API secret, or a registered user).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { toolJvmOptions, toolLog4j } from "./config";
import { resolveStateDir } from "./paths";
import { ensureKafkaRuntime } from "./runtime";

const execFileAsync = promisify(execFile);

export interface RegisterScramOptions {
  /** `host:port` of the endpoint (e.g. the Gateway's registration route). */
  bootstrap: string;
  /** Who signs in (SASL_PLAINTEXT, with `mechanism`) to send the request. */
  admin: { username: string; password: string };
  username: string;
  password: string;
  mechanism?: "SCRAM-SHA-256" | "SCRAM-SHA-512";
  iterations?: number;
  stateDir?: string;
  timeoutMs?: number;
}

function javaBinary(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin", "java") : "java";
}

function log4jFile(stateDir: string): string {
  const file = path.join(stateDir, "kafka", "tools-log4j2.properties");
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== toolLog4j) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, toolLog4j);
  }
  return file;
}

/** Resolves once the endpoint has answered AlterUserScramCredentials without an error for `username`. */
export async function registerScramCredential(opts: RegisterScramOptions): Promise<void> {
  if (!/^[A-Za-z0-9._@-]{1,128}$/.test(opts.username))
    throw new Error(`invalid SCRAM username ${JSON.stringify(opts.username)}`);
  const stateDir = resolveStateDir(opts.stateDir);
  const runtime = await ensureKafkaRuntime();
  const mechanism = opts.mechanism ?? "SCRAM-SHA-512";
  try {
    await execFileAsync(
      javaBinary(),
      [
        ...toolJvmOptions,
        `-Dlog4j2.configurationFile=${log4jFile(stateDir)}`,
        "-cp",
        runtime.classpath,
        "ScramUser",
        opts.bootstrap,
        mechanism,
        opts.username,
        String(opts.iterations ?? 4096),
      ],
      {
        timeout: opts.timeoutMs ?? 60_000,
        // Secrets through the environment, never the command line.
        env: {
          ...process.env,
          SCRAM_ADMIN_USERNAME: opts.admin.username,
          SCRAM_ADMIN_PASSWORD: opts.admin.password,
          SCRAM_USER_PASSWORD: opts.password,
        },
      },
    );
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(
      `registering SCRAM user ${opts.username} at ${opts.bootstrap} failed: ${e.message}\n${e.stderr ?? ""}`,
    );
  }
}
