/**
 * Where discovery signs in to the source: the stack's own `kafka-cutover:source` section (validated by the
 * program's rules), or the same settings given on the command line. The password comes from the environment
 * or, for a stack, from `pulumi config get`, which decrypts it; it is never an argument, never printed.
 */
import * as fs from "node:fs";
import YAML from "yaml";
import { pulumiConfigGetSecret as pulumiConfigGetSecretVia, stackNameOf } from "../stackFile";
import { validateSourceConfig, type RawStackConfig } from "../../config";
import type { KafkaAccess } from "../../dynamic/cutover/inputs";
import type { ConfiguredGroup } from "./compare";

export const PASSWORD_ENV = "KAFKA_CUTOVER_SOURCE_PASSWORD";
const SOURCE = "kafka-cutover:source";
const PASSWORD = "kafka-cutover:sourcePassword";

export interface AccessOptions {
  /** Reads `Pulumi.<stack>.yaml` (or `configFile`) for the source section. */
  readonly stack?: string;
  readonly configFile?: string;
  /** Command-line settings; each overrides the stack's when both are given. */
  readonly bootstrap?: string;
  readonly securityProtocol?: string;
  readonly mechanism?: string;
  readonly username?: string;
  /** A PEM file of the CAs the brokers chain to (`source.caCertificates` from the command line). */
  readonly caFile?: string;
}

export interface ResolvedAccess {
  readonly access: KafkaAccess;
  /** The stack file's groups, when it has some: discovery checks them against the cluster. */
  readonly configuredGroups: readonly ConfiguredGroup[];
  /** Where the settings came from, for the report (never the password). */
  readonly from: string;
}

export function resolveAccess(
  opts: AccessOptions,
  env: NodeJS.ProcessEnv = process.env,
  pulumiConfigGet: (key: string, stack: string, file: string) => string = pulumiConfigGetSecret,
): ResolvedAccess {
  const file = opts.configFile ?? (opts.stack ? `Pulumi.${opts.stack}.yaml` : undefined);
  const stackConfig = file ? readStackFile(file) : undefined;
  const fromFile = stackConfig?.source ?? {};
  const fileAuth = isRecord(fromFile.auth) ? fromFile.auth : {};
  const source: Record<string, unknown> & { auth: Record<string, unknown> } = {
    ...fromFile,
    ...(opts.bootstrap ? { bootstrap: opts.bootstrap } : {}),
    ...(opts.securityProtocol ? { securityProtocol: opts.securityProtocol } : {}),
    ...(opts.caFile ? { caCertificates: fs.readFileSync(opts.caFile, "utf8") } : {}),
    auth: {
      ...fileAuth,
      ...(opts.mechanism ? { mechanism: opts.mechanism } : {}),
      ...(opts.username ? { username: opts.username } : {}),
    },
  };
  if (opts.bootstrap) delete source.mskClusterName;
  if (!file && !opts.bootstrap)
    throw new Error("say which cluster to read: --stack <name> (or --config-file <file>), or --bootstrap host:port");

  let password = env[PASSWORD_ENV];
  let secret = password !== undefined;
  if (password === undefined && stackConfig?.passwordIsSecret && file) {
    password = pulumiConfigGet(PASSWORD, opts.stack ?? stackNameOf(file), file);
    secret = true;
  } else if (password === undefined && stackConfig?.plainPassword !== undefined) {
    password = stackConfig.plainPassword; // the validator refuses it below, naming the fix
  }
  const values: Record<string, string> = { [SOURCE]: JSON.stringify(source) };
  if (password !== undefined) values[PASSWORD] = password;
  const raw: RawStackConfig = { values, secretKeys: new Set(secret ? [PASSWORD] : []) };
  if (password === undefined)
    throw new Error(
      `no source password: set ${PASSWORD_ENV}${file ? `, or set the stack's secret (pulumi config set --secret ${PASSWORD} <value>)` : ""}`,
    );
  const config = validateSourceConfig(raw);
  if (config.location.kind === "msk")
    throw new Error(
      `source.mskClusterName ${config.location.clusterName}: discovery does not call AWS; give the brokers with --bootstrap (aws kafka get-bootstrap-brokers)`,
    );
  return {
    access: {
      bootstrap: config.location.brokers.map((b) => `${b.host}:${b.port}`).join(","),
      securityProtocol: config.securityProtocol,
      mechanism: config.auth.mechanism,
      username: config.auth.username,
      password: password ?? "",
      ...(config.caCertificates ? { caCertificates: config.caCertificates } : {}),
    },
    configuredGroups: stackConfig?.groups ?? [],
    from: file ? `${file}${opts.bootstrap || opts.username ? " with command-line overrides" : ""}` : "the command line",
  };
}

interface StackFileContents {
  readonly source?: Record<string, unknown>;
  readonly passwordIsSecret: boolean;
  readonly plainPassword?: string;
  readonly groups: ConfiguredGroup[];
}

/** The parts of a stack file discovery needs; a `secure:` value is a Pulumi secret (encrypted in the file). */
export function readStackFile(file: string): StackFileContents {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such stack file`);
  const doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config = doc.config ?? {};
  const source = config[SOURCE];
  const pw = config[PASSWORD];
  const groups = Array.isArray(config["kafka-cutover:groups"]) ? (config["kafka-cutover:groups"] as unknown[]) : [];
  return {
    ...(isRecord(source) ? { source } : {}),
    passwordIsSecret: isRecord(pw) && typeof pw.secure === "string",
    ...(typeof pw === "string" ? { plainPassword: pw } : {}),
    groups: groups.filter(isRecord).map((g) => ({
      name: String(g.name ?? "?"),
      topics: Array.isArray(g.topics) ? g.topics.map(String) : [],
      consumerGroups: Array.isArray(g.consumerGroups) ? g.consumerGroups.map(String) : [],
    })),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pulumiConfigGetSecret(key: string, stack: string, file: string): string {
  return pulumiConfigGetSecretVia(key, stack, file, PASSWORD_ENV);
}
