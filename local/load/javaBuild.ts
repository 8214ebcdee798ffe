/**
 * Builds the Java workload (local/load/java/) for one kafka-clients version: Maven copies kafka-clients and
 * its runtime jars, javac compiles our sources against them. Cached per version and per hash of the pom and
 * sources in `<cache>/java-workload-<version>-<hash>/` (`libs/`, `classes/`), so a changed source rebuilds
 * and an unchanged one costs a stat.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { resolveCacheRoot } from "../kafka/paths";

const execFileAsync = promisify(execFile);

/** The kafka-clients versions the workload is built for: the brokers' 4.x, and the 3.x line MSK users run. */
export const JAVA_CLIENT_VERSIONS = ["4.1.1", "3.9.1"] as const;
export type JavaClientVersion = (typeof JAVA_CLIENT_VERSIONS)[number];

const projectDir = path.join(__dirname, "java");
const pomFile = path.join(projectDir, "pom.xml");
const sourceDir = path.join(projectDir, "src", "main", "java");

export interface JavaWorkloadBuild {
  readonly version: JavaClientVersion;
  /** `<cache>/java-workload-<version>-<hash>/` */
  readonly home: string;
  /** JVM classpath: our classes, then every jar. */
  readonly classpath: string;
  readonly mainClass: string;
  /** Whether this call had to run Maven and javac. */
  readonly built: boolean;
}

function javaSources(dir = sourceDir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? javaSources(path.join(dir, e.name)) : e.name.endsWith(".java") ? [path.join(dir, e.name)] : [],
    )
    .sort();
}

/** Hash of what the build depends on: the pom and every source, with their paths. */
export function javaWorkloadHash(): string {
  const hash = createHash("sha256");
  for (const f of [pomFile, ...javaSources()]) {
    hash.update(path.relative(projectDir, f));
    hash.update("\0");
    hash.update(fs.readFileSync(f));
  }
  return hash.digest("hex").slice(0, 16);
}

function result(version: JavaClientVersion, home: string, built: boolean): JavaWorkloadBuild {
  return {
    version,
    home,
    classpath: [path.join(home, "classes"), path.join(home, "libs", "*")].join(path.delimiter),
    mainClass: "kafkacutover.load.Workload",
    built,
  };
}

const inFlight = new Map<string, Promise<JavaWorkloadBuild>>();

/** Builds (once per version and source hash) and returns how to run the workload with `version`'s client. */
export function ensureJavaWorkload(version: JavaClientVersion): Promise<JavaWorkloadBuild> {
  if (!JAVA_CLIENT_VERSIONS.includes(version))
    return Promise.reject(new Error(`kafka-clients ${String(version)}: not one of ${JAVA_CLIENT_VERSIONS.join(", ")}`));
  const home = path.join(resolveCacheRoot(), `java-workload-${version}-${javaWorkloadHash()}`);
  if (fs.existsSync(path.join(home, ".ok"))) return Promise.resolve(result(version, home, false));
  let p = inFlight.get(home);
  if (!p) {
    p = build(version, home).finally(() => inFlight.delete(home));
    inFlight.set(home, p);
  }
  return p;
}

async function build(version: JavaClientVersion, home: string): Promise<JavaWorkloadBuild> {
  // Built in a private folder, then renamed: a concurrent or interrupted build never leaves half of one.
  const tmp = `${home}.tmp-${process.pid}-${Date.now()}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.join(tmp, "classes"), { recursive: true });
  const pomHash = createHash("sha256").update(fs.readFileSync(pomFile)).digest("hex");
  try {
    // A source change keeps the pom: reuse the jars of an earlier build of this version instead of Maven.
    const earlier = reusableLibs(version, pomHash);
    if (earlier) fs.cpSync(earlier, path.join(tmp, "libs"), { recursive: true });
    else await resolveJars(version, path.join(tmp, "libs"));
    fs.writeFileSync(path.join(tmp, "pom.sha256"), `${pomHash}\n`);
    await run(
      "javac",
      [
        "-nowarn",
        "--release",
        "17",
        "-cp",
        path.join(tmp, "libs", "*"),
        "-d",
        path.join(tmp, "classes"),
        ...javaSources(),
      ],
      120_000,
    );
    fs.writeFileSync(path.join(tmp, ".ok"), "");
    try {
      fs.renameSync(tmp, home);
    } catch (err) {
      // Someone else finished the same build first: theirs is as good as ours.
      if (!fs.existsSync(path.join(home, ".ok"))) throw err;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(
      `building the Java workload with kafka-clients ${version} failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return result(version, home, true);
}

/** The libs/ of a finished build of `version` from the same pom, if any. */
function reusableLibs(version: JavaClientVersion, pomHash: string): string | undefined {
  const root = resolveCacheRoot();
  const prefix = `java-workload-${version}-`;
  for (const name of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    if (!name.startsWith(prefix) || name.includes(".tmp-")) continue;
    const dir = path.join(root, name);
    try {
      if (
        fs.existsSync(path.join(dir, ".ok")) &&
        fs.readFileSync(path.join(dir, "pom.sha256"), "utf8").trim() === pomHash
      )
        return path.join(dir, "libs");
    } catch {
      // a build from before pom.sha256 was written: not reusable
    }
  }
  return undefined;
}

async function resolveJars(version: JavaClientVersion, outputDir: string): Promise<void> {
  await run(
    "mvn",
    [
      "-B",
      "-ntp",
      "-q",
      "-Dstyle.color=never",
      "-f",
      pomFile,
      `-Dkafka.clients.version=${version}`,
      // One local repository for every build of the workload: a source change does not download again.
      `-Dmaven.repo.local=${path.join(resolveCacheRoot(), "java-workload-m2")}`,
      "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
      "-DincludeScope=runtime",
      `-DoutputDirectory=${outputDir}`,
    ],
    15 * 60_000,
  );
}

async function run(command: string, args: string[], timeout: number): Promise<void> {
  try {
    await execFileAsync(command, args, { maxBuffer: 16 * 1024 * 1024, timeout });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}
