import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { resolveCacheRoot } from "./paths";

const execFileAsync = promisify(execFile);

const pomFile = path.join(__dirname, "pom.xml");
const javaDir = path.join(__dirname, "java");
const javaSources = [
  path.join(javaDir, "ScramUser.java"),
  path.join(javaDir, "kafkacutover", "local", "ApiKeyCallbackHandler.java"),
];

export interface KafkaRuntime {
  version: string;
  /** `<cache>/kafka-<version>/` */
  home: string;
  /** Directory with every runtime jar (use as `<libs>/*`). */
  libsDir: string;
  /** Our compiled helpers (ScramUser, ApiKeyCallbackHandler). */
  classesDir: string;
  /** Full JVM classpath: our classes, then the jars. */
  classpath: string;
  /** Whether this call had to run Maven. */
  resolvedJars: boolean;
}

function sha256(...parts: (string | Buffer)[]): string {
  const hash = createHash("sha256");
  for (const p of parts) hash.update(p);
  return hash.digest("hex");
}

export function kafkaVersion(): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(pomFile, "utf8"));
  if (!match) throw new Error(`${pomFile}: no <kafka.version> property`);
  return match[1].trim();
}

async function ensureJars(home: string): Promise<{ libsDir: string; resolved: boolean }> {
  const libsDir = path.join(home, "libs");
  const stampFile = path.join(home, "libs.stamp");
  const pomHash = sha256(fs.readFileSync(pomFile));
  if (fs.existsSync(libsDir) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8").trim() === pomHash) {
    return { libsDir, resolved: false };
  }
  // Resolve into a private directory, then rename, so a concurrent or interrupted run never sees half a libs/.
  const tmpDir = `${libsDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  try {
    await execFileAsync(
      "mvn",
      [
        "-B",
        "-ntp",
        "-q",
        "-Dstyle.color=never",
        "-f",
        pomFile,
        `-Dmaven.repo.local=${path.join(home, "m2")}`,
        "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
        "-DincludeScope=runtime",
        `-DoutputDirectory=${tmpDir}`,
      ],
      { maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 },
    );
  } catch (err) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`resolving Kafka jars with Maven failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
  fs.rmSync(libsDir, { recursive: true, force: true });
  fs.renameSync(tmpDir, libsDir);
  fs.writeFileSync(stampFile, `${pomHash}\n`);
  return { libsDir, resolved: true };
}

async function ensureClasses(home: string, libsDir: string): Promise<string> {
  const sourceHash = sha256(...javaSources.map((f) => fs.readFileSync(f))).slice(0, 16);
  const classesDir = path.join(home, `classes-${sourceHash}`);
  if (fs.existsSync(path.join(classesDir, ".ok"))) return classesDir;
  const tmpDir = `${classesDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir, { recursive: true });
  try {
    await execFileAsync(
      "javac",
      ["-nowarn", "--release", "17", "-cp", path.join(libsDir, "*"), "-d", tmpDir, ...javaSources],
      {
        timeout: 120_000,
      },
    );
  } catch (err) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`compiling local/kafka/java failed: ${e.message}\n${e.stderr ?? ""}`);
  }
  fs.writeFileSync(path.join(tmpDir, ".ok"), "");
  fs.rmSync(classesDir, { recursive: true, force: true });
  fs.renameSync(tmpDir, classesDir);
  return classesDir;
}

/** Resolves (once per pom hash) the Kafka jars and compiles our Java helpers (once per source hash). */
export async function ensureKafkaRuntime(): Promise<KafkaRuntime> {
  const version = kafkaVersion();
  const home = path.join(resolveCacheRoot(), `kafka-${version}`);
  fs.mkdirSync(home, { recursive: true });
  const { libsDir, resolved } = await ensureJars(home);
  const classesDir = await ensureClasses(home, libsDir);
  return {
    version,
    home,
    libsDir,
    classesDir,
    classpath: [classesDir, path.join(libsDir, "*")].join(path.delimiter),
    resolvedJars: resolved,
  };
}
