import { execFile } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from "kafkajs";
import {
  brokerJvmOptions,
  brokerLog4j,
  clusterLayout,
  destinationServerProperties,
  sourceServerProperties,
  toolJvmOptions,
  toolLog4j,
  OAUTH_ALLOWED_URLS_PROPERTY,
  type ClusterLayout,
  type DestinationOAuth,
  type ClusterName,
  type ClusterPorts,
} from "./config";
import { mergeEndpoints, removeEndpoints } from "./endpoints";
import { withLock } from "./lock";
import { endpointsFile, resolveStateDir } from "./paths";
import { freePorts, isPortFree } from "./ports";
import { isOurProcess, readPid, spawnDetached, terminate } from "./process";
import { ensureKafkaRuntime, type KafkaRuntime } from "./runtime";
import { registerScramCredential } from "./registerScram";
import { readOAuthServerInfo } from "../oauth/daemon";

export type { ClusterName, ClusterPorts } from "./config";
export { endpointsFile, resolveCacheRoot, resolveStateDir } from "./paths";
export { mergeEndpoints, readEndpoints } from "./endpoints";

const execFileAsync = promisify(execFile);

export interface SourceEndpoints {
  bootstrap: string;
  securityProtocol: "SASL_PLAINTEXT";
  mechanism: "SCRAM-SHA-512";
  /** Kafka cluster id (what DescribeCluster returns). */
  clusterId: string;
  admin: { username: string; password: string };
  ports: ClusterPorts;
}

export interface DestinationEndpoints {
  bootstrap: string;
  securityProtocol: "SASL_PLAINTEXT";
  mechanism: "PLAIN";
  /** Confluent-style logical cluster id (`lkc-…`), used by the REST emulators. */
  clusterId: string;
  /** Kafka cluster id (what DescribeCluster returns). */
  kafkaClusterId: string;
  /** The admin API key; its principal `User:<apiKey>` is a super user. */
  apiKey: string;
  apiSecret: string;
  ports: ClusterPorts;
}

export interface KafkaPairEndpoints {
  source: SourceEndpoints;
  destination: DestinationEndpoints;
}

export interface KafkaPairStatus extends KafkaPairEndpoints {
  stateDir: string;
  endpointsFile: string;
  pids: Record<ClusterName, number>;
  /** True when both brokers were already running before this call (nothing was started). */
  alreadyRunning: boolean;
  kafkaVersion: string;
}

export interface KafkaPairOptions {
  /** Defaults to env KAFKA_CUTOVER_STATE, then local/.state. */
  stateDir?: string;
  /** Readiness timeout per start, default 120 s. */
  readyTimeoutMs?: number;
}

/** What the pair remembers between runs: identities, credentials, the ports last used. */
interface PairState {
  source: { clusterId: string; ports: ClusterPorts; adminUsername: string; adminPassword: string };
  destination: {
    clusterId: string;
    logicalClusterId: string;
    ports: ClusterPorts;
    adminApiKey: string;
    adminApiSecret: string;
  };
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function randomString(length: number, alphabet = ALNUM): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Same shape as Kafka's Uuid.randomUuid().toString(): 22 chars base64url; never starts with '-'. */
function kafkaClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

function kafkaDir(stateDir: string): string {
  return path.join(stateDir, "kafka");
}

function pairStateFile(stateDir: string): string {
  return path.join(kafkaDir(stateDir), "pair.json");
}

function readPairState(stateDir: string): PairState | undefined {
  try {
    return JSON.parse(fs.readFileSync(pairStateFile(stateDir), "utf8")) as PairState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function writePairState(stateDir: string, state: PairState): void {
  const file = pairStateFile(stateDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

function requirePairState(stateDir: string): PairState {
  const state = readPairState(stateDir);
  if (!state) throw new Error(`no Kafka pair in ${stateDir}: start it first (npm run local:up)`);
  return state;
}

function newPairState(): PairState {
  return {
    source: {
      clusterId: kafkaClusterId(),
      ports: { client: 0, controller: 0 },
      adminUsername: "admin",
      adminPassword: randomString(32),
    },
    destination: {
      clusterId: kafkaClusterId(),
      logicalClusterId: `lkc-${randomString(6, "abcdefghijklmnopqrstuvwxyz0123456789")}`,
      ports: { client: 0, controller: 0 },
      adminApiKey: randomString(16, UPPER_ALNUM),
      adminApiSecret: randomString(64),
    },
  };
}

function toEndpoints(state: PairState): KafkaPairEndpoints {
  const s = state.source;
  const d = state.destination;
  return {
    source: {
      bootstrap: `127.0.0.1:${s.ports.client}`,
      securityProtocol: "SASL_PLAINTEXT",
      mechanism: "SCRAM-SHA-512",
      clusterId: s.clusterId,
      admin: { username: s.adminUsername, password: s.adminPassword },
      ports: { ...s.ports },
    },
    destination: {
      bootstrap: `127.0.0.1:${d.ports.client}`,
      securityProtocol: "SASL_PLAINTEXT",
      mechanism: "PLAIN",
      clusterId: d.logicalClusterId,
      kafkaClusterId: d.clusterId,
      apiKey: d.adminApiKey,
      apiSecret: d.adminApiSecret,
      ports: { ...d.ports },
    },
  };
}

/** kafkajs settings for an endpoint; `credentials` defaults to the cluster's admin. */
export function kafkajsConfig(
  endpoint: SourceEndpoints | DestinationEndpoints,
  credentials?: { username: string; password: string },
  overrides: Partial<KafkaConfig> = {},
): KafkaConfig {
  const username = credentials?.username ?? ("admin" in endpoint ? endpoint.admin.username : endpoint.apiKey);
  const password = credentials?.password ?? ("admin" in endpoint ? endpoint.admin.password : endpoint.apiSecret);
  const sasl: SASLOptions =
    endpoint.mechanism === "PLAIN"
      ? { mechanism: "plain", username, password }
      : { mechanism: "scram-sha-512", username, password };
  return {
    clientId: "kafka-cutover-local",
    brokers: [endpoint.bootstrap],
    ssl: false,
    sasl,
    logLevel: logLevel.NOTHING,
    ...overrides,
  };
}

function javaBinary(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin", "java") : "java";
}

function toolLog4jFile(stateDir: string): string {
  const file = path.join(kafkaDir(stateDir), "tools-log4j2.properties");
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== toolLog4j) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, toolLog4j);
  }
  return file;
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

function writeClusterFiles(layout: ClusterLayout, state: PairState, stateDir: string): void {
  fs.mkdirSync(layout.dir, { recursive: true });
  const props =
    layout.name === "source"
      ? sourceServerProperties(layout, state.source.ports, {
          adminUsername: state.source.adminUsername,
          adminPassword: state.source.adminPassword,
        })
      : destinationServerProperties(
          layout,
          state.destination.ports,
          { adminApiKey: state.destination.adminApiKey, adminApiSecret: state.destination.adminApiSecret },
          destinationOAuth(stateDir),
        );
  fs.writeFileSync(layout.serverProperties, props, { mode: 0o600 });
  fs.writeFileSync(layout.log4jProperties, brokerLog4j(layout));
  if (layout.name === "destination") {
    writeApiKeyFile(layout.apiKeysDir, state.destination.adminApiKey, state.destination.adminApiSecret);
  }
}

function writeApiKeyFile(dir: string, key: string, secret: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, key);
  fs.writeFileSync(`${file}.tmp`, secret, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

async function formatIfNeeded(
  layout: ClusterLayout,
  state: PairState,
  runtime: KafkaRuntime,
  stateDir: string,
): Promise<void> {
  if (fs.existsSync(path.join(layout.dataDir, "meta.properties"))) return;
  fs.rmSync(layout.dataDir, { recursive: true, force: true });
  const clusterId = layout.name === "source" ? state.source.clusterId : state.destination.clusterId;
  const scram =
    layout.name === "source"
      ? ["--add-scram", `SCRAM-SHA-512=[name=${state.source.adminUsername},password=${state.source.adminPassword}]`]
      : [];
  try {
    await execFileAsync(
      javaBinary(),
      [
        ...toolJvmOptions,
        `-Dlog4j2.configurationFile=${toolLog4jFile(stateDir)}`,
        "-cp",
        runtime.classpath,
        "kafka.tools.StorageTool",
        "format",
        "-c",
        layout.serverProperties,
        "-t",
        clusterId,
        ...scram,
      ],
      { timeout: 120_000 },
    );
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`formatting ${layout.name} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/**
 * The destination takes OAUTHBEARER when the local OAuth server has run for this state dir (it starts before
 * Kafka and keeps its port, so the JWKS URL stays valid); a pair started without it takes PLAIN only.
 */
function destinationOAuth(stateDir: string): DestinationOAuth | undefined {
  const info = readOAuthServerInfo(stateDir);
  return info && { jwksEndpoint: info.jwksEndpoint, issuer: info.issuer, audience: info.audience };
}

function startBroker(layout: ClusterLayout, runtime: KafkaRuntime, stateDir: string): number {
  const oauth = layout.name === "destination" ? destinationOAuth(stateDir) : undefined;
  return spawnDetached({
    command: javaBinary(),
    args: [
      ...brokerJvmOptions,
      ...(oauth ? [`-D${OAUTH_ALLOWED_URLS_PROPERTY}=${oauth.jwksEndpoint}`] : []),
      `-Dlog4j2.configurationFile=${layout.log4jProperties}`,
      "-cp",
      runtime.classpath,
      "kafka.Kafka",
      layout.serverProperties,
    ],
    cwd: layout.dir,
    logFile: layout.stdoutLog,
    pidFile: layout.pidFile,
  });
}

function runningPid(layout: ClusterLayout): number | undefined {
  const pid = readPid(layout.pidFile);
  return pid !== undefined && isOurProcess(pid, layout.serverProperties) ? pid : undefined;
}

class BrokerExited extends Error {
  constructor(
    readonly cluster: ClusterName,
    readonly portInUse: boolean,
    message: string,
  ) {
    super(message);
  }
}

/** Polls DescribeCluster as the admin until it answers; fails fast if the JVM dies. */
async function waitReady(
  layout: ClusterLayout,
  endpoint: SourceEndpoints | DestinationEndpoints,
  pid: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  for (;;) {
    if (!isOurProcess(pid, layout.serverProperties)) {
      const logs = `${tail(layout.stdoutLog)}\n${tail(layout.serverLog)}`;
      throw new BrokerExited(
        layout.name,
        /Address already in use|BindException/.test(logs),
        `${layout.name} broker (pid ${pid}) exited during start-up. Logs:\n${logs}`,
      );
    }
    const admin = new Kafka(
      kafkajsConfig(endpoint, undefined, { connectionTimeout: 2_000, requestTimeout: 5_000, retry: { retries: 0 } }),
    ).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch (err) {
      lastError = (err as Error).message;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${layout.name} broker not ready after ${timeoutMs} ms (last error: ${lastError}). Logs:\n${tail(layout.serverLog)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function choosePorts(current: ClusterPorts): Promise<ClusterPorts> {
  if (
    current.client > 0 &&
    current.controller > 0 &&
    (await isPortFree(current.client)) &&
    (await isPortFree(current.controller))
  ) {
    return current;
  }
  const [client, controller] = await freePorts(2);
  return { client, controller };
}

/** Starts one cluster if it is not running; returns its pid and whether it was already up. */
async function ensureCluster(
  name: ClusterName,
  state: PairState,
  stateDir: string,
  runtime: KafkaRuntime,
  readyTimeoutMs: number,
): Promise<{ pid: number; wasRunning: boolean }> {
  const layout = clusterLayout(kafkaDir(stateDir), name);
  const existing = runningPid(layout);
  if (existing !== undefined) {
    await waitReady(layout, toEndpoints(state)[name], existing, readyTimeoutMs);
    return { pid: existing, wasRunning: true };
  }
  for (let attempt = 1; ; attempt++) {
    state[name].ports = await choosePorts(attempt === 1 ? state[name].ports : { client: 0, controller: 0 });
    writeClusterFiles(layout, state, stateDir);
    await formatIfNeeded(layout, state, runtime, stateDir);
    const pid = startBroker(layout, runtime, stateDir);
    try {
      await waitReady(layout, toEndpoints(state)[name], pid, readyTimeoutMs);
      return { pid, wasRunning: false };
    } catch (err) {
      // Another process can take a port between our probe and the JVM's bind: retry with fresh ports.
      if (err instanceof BrokerExited && err.portInUse && attempt < 3) continue;
      await terminate(pid, layout.serverProperties, 5_000).catch(() => undefined);
      throw err;
    }
  }
}

/**
 * Starts (or finds running) the source and destination clusters of a state dir, waits until both answer
 * DescribeCluster as admin, and merges their endpoints into `<stateDir>/endpoints.json`. Idempotent.
 */
export async function startKafkaPair(opts: KafkaPairOptions = {}): Promise<KafkaPairStatus> {
  const stateDir = resolveStateDir(opts.stateDir);
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  const runtime = await ensureKafkaRuntime();
  return withLock(path.join(kafkaDir(stateDir), ".lock"), async () => {
    const state = readPairState(stateDir) ?? newPairState();
    writePairState(stateDir, state);
    const [source, destination] = await Promise.all([
      ensureCluster("source", state, stateDir, runtime, readyTimeoutMs),
      ensureCluster("destination", state, stateDir, runtime, readyTimeoutMs),
    ]);
    writePairState(stateDir, state);
    const endpoints = toEndpoints(state);
    const file = endpointsFile(stateDir);
    mergeEndpoints(file, { source: endpoints.source, destination: endpoints.destination });
    return {
      ...endpoints,
      stateDir,
      endpointsFile: file,
      pids: { source: source.pid, destination: destination.pid },
      alreadyRunning: source.wasRunning && destination.wasRunning,
      kafkaVersion: runtime.version,
    };
  });
}

const ownedEndpointKeys = {
  source: ["bootstrap", "securityProtocol", "mechanism", "clusterId", "admin", "ports"],
  destination: [
    "bootstrap",
    "securityProtocol",
    "mechanism",
    "clusterId",
    "kafkaClusterId",
    "apiKey",
    "apiSecret",
    "ports",
  ],
} as const;

export interface StopResult {
  stateDir: string;
  /** How each broker ended: not running, SIGTERM was enough, or SIGKILL was needed. */
  stopped: Record<ClusterName, { pid?: number; how: "none" | "term" | "kill" }>;
}

/** Stops both brokers (SIGTERM, SIGKILL after `graceMs`); data and credentials stay for the next start. */
export async function stopKafkaPair(opts: { stateDir?: string; graceMs?: number } = {}): Promise<StopResult> {
  const stateDir = resolveStateDir(opts.stateDir);
  const dir = kafkaDir(stateDir);
  if (!fs.existsSync(dir)) {
    return { stateDir, stopped: { source: { how: "none" }, destination: { how: "none" } } };
  }
  return withLock(path.join(dir, ".lock"), async () => {
    const stopOne = async (name: ClusterName): Promise<{ pid?: number; how: "none" | "term" | "kill" }> => {
      const layout = clusterLayout(dir, name);
      const pid = readPid(layout.pidFile);
      const how = pid === undefined ? "none" : await terminate(pid, layout.serverProperties, opts.graceMs ?? 20_000);
      fs.rmSync(layout.pidFile, { force: true });
      return { pid, how };
    };
    const [source, destination] = await Promise.all([stopOne("source"), stopOne("destination")]);
    removeEndpoints(endpointsFile(stateDir), ownedEndpointKeys);
    return { stateDir, stopped: { source, destination } };
  });
}

/** Pids of the brokers of a state dir that are running now. */
export function runningBrokers(opts: { stateDir?: string } = {}): Partial<Record<ClusterName, number>> {
  const dir = kafkaDir(resolveStateDir(opts.stateDir));
  const out: Partial<Record<ClusterName, number>> = {};
  for (const name of ["source", "destination"] as const) {
    const pid = runningPid(clusterLayout(dir, name));
    if (pid !== undefined) out[name] = pid;
  }
  return out;
}

/** The endpoints of a pair started earlier (from its state, whether or not it runs now). */
export function kafkaPairEndpoints(opts: { stateDir?: string } = {}): KafkaPairEndpoints {
  return toEndpoints(requirePairState(resolveStateDir(opts.stateDir)));
}

export interface ScramUserOptions {
  stateDir?: string;
  mechanism?: "SCRAM-SHA-256" | "SCRAM-SHA-512";
  iterations?: number;
  /** How long to wait until the new credentials log in, default 30 s. */
  timeoutMs?: number;
}

/**
 * Creates (or updates) a SCRAM user on the source cluster with AlterUserScramCredentials, then waits until
 * the broker accepts the new login. The user has no ACLs: it can do nothing until granted some.
 */
export async function createScramUser(
  username: string,
  password: string = randomString(24),
  opts: ScramUserOptions = {},
): Promise<{ username: string; password: string }> {
  if (!/^[A-Za-z0-9._@-]{1,128}$/.test(username)) throw new Error(`invalid SCRAM username ${JSON.stringify(username)}`);
  const stateDir = resolveStateDir(opts.stateDir);
  const { source } = toEndpoints(requirePairState(stateDir));
  // The same Java tool that registers SCRAM users through a Gateway route, pointed at the broker itself.
  await registerScramCredential({
    bootstrap: source.bootstrap,
    admin: source.admin,
    username,
    password,
    mechanism: opts.mechanism ?? "SCRAM-SHA-512",
    ...(opts.iterations !== undefined ? { iterations: opts.iterations } : {}),
    stateDir,
  });
  // The controller has committed the credential; the broker applies it from the metadata log shortly after.
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const admin = new Kafka(
      kafkajsConfig(source, { username, password }, { connectionTimeout: 2_000, retry: { retries: 0 } }),
    ).admin();
    try {
      await admin.connect();
      return { username, password };
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`SCRAM user ${username} still cannot log in: ${(err as Error).message}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Creates a random API key on the destination cluster, usable at once (the broker reads the key directory
 * on every login). Its ACL principal is `User:<key>`.
 */
export async function createApiKey(
  opts: { stateDir?: string; secret?: string } = {},
): Promise<{ key: string; secret: string }> {
  const stateDir = resolveStateDir(opts.stateDir);
  requirePairState(stateDir);
  const key = randomString(16, UPPER_ALNUM);
  // A chosen secret lets a test recognise it wherever it might leak.
  const secret = opts.secret ?? randomString(64);
  writeApiKeyFile(clusterLayout(kafkaDir(stateDir), "destination").apiKeysDir, key, secret);
  return { key, secret };
}

/** Revokes an API key: later logins with it fail (open connections stay until they re-authenticate). */
export async function deleteApiKey(key: string, opts: { stateDir?: string } = {}): Promise<void> {
  const state = requirePairState(resolveStateDir(opts.stateDir));
  if (key === state.destination.adminApiKey) throw new Error("refusing to delete the admin API key");
  if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new Error(`invalid API key ${JSON.stringify(key)}`);
  fs.rmSync(path.join(clusterLayout(kafkaDir(resolveStateDir(opts.stateDir)), "destination").apiKeysDir, key), {
    force: true,
  });
}
