/**
 * What `npm run lag` watches for one group, read from the stack file the program reads and validated by the
 * program's own rules (config/): both clusters as the cutover reads them (the link's user on the source, the
 * destination's API key over PLAIN), the link's REST API with that key, the group's topics, consumer groups
 * and threshold. Secrets come from the environment or, for a `secure:` value, from `pulumi config get`, which
 * decrypts it; never an argument, never printed.
 */
import * as fs from "node:fs";
import YAML from "yaml";
import { pulumiConfigGetSecret as pulumiConfigGetSecretVia, stackNameOf } from "../stackFile";
import { NAMESPACE, validateLinkWatchConfig, type RawStackConfig } from "../../config";
import type { CutoverInputs } from "../../dynamic/cutover/inputs";

/** The cutover's inputs that watching the lag needs; `CutoverInputs` itself fits, as the tests use. */
export type LagTarget = Pick<
  CutoverInputs,
  "group" | "topics" | "consumerGroups" | "lagThreshold" | "link" | "source" | "destination"
>;

/** Each secret the watcher needs, and the environment variable that may give it instead of the stack. */
export const SECRET_ENV: Readonly<Record<string, string>> = {
  [`${NAMESPACE}:sourcePassword`]: "KAFKA_CUTOVER_SOURCE_PASSWORD",
  [`${NAMESPACE}:destinationApiSecret`]: "KAFKA_CUTOVER_DESTINATION_API_SECRET",
};

export interface TargetOptions {
  readonly group: string;
  /** Reads `Pulumi.<stack>.yaml` unless `configFile` names another file. */
  readonly stack?: string;
  readonly configFile?: string;
}

export type ConfigGet = (key: string, stack: string, file: string) => string;

export function resolveTarget(
  opts: TargetOptions,
  env: NodeJS.ProcessEnv = process.env,
  pulumiConfigGet: ConfigGet = pulumiConfigGetSecret,
): LagTarget {
  const file = opts.configFile ?? `Pulumi.${opts.stack ?? "local"}.yaml`;
  const stack = opts.stack ?? stackNameOf(file);
  const raw = rawStackConfig(file, stack, env, pulumiConfigGet);
  const config = validateLinkWatchConfig(raw);
  const group = config.groups.find((g) => g.name === opts.group);
  if (!group)
    throw new Error(`${file} has no group ${opts.group}; its groups: ${config.groups.map((g) => g.name).join(", ")}`);
  if (config.source.location.kind === "msk")
    throw new Error(
      `source.mskClusterName ${config.source.location.clusterName}: the lag view does not call AWS; set source.bootstrap in a copy of the stack file and pass it with --config-file`,
    );
  if (config.destination.mode !== "existing")
    throw new Error(
      "destination.mode create: the destination's bootstrap and API key exist only in the stack's state; the lag view reads destination.mode existing",
    );
  const dst = config.destination;
  // The secrets as given: the validated config holds them as Pulumi Outputs, which only a program resolves.
  const sourcePassword = given(raw, `${NAMESPACE}:sourcePassword`);
  const apiSecret = given(raw, `${NAMESPACE}:destinationApiSecret`);
  return {
    group: group.name,
    // Mirrors keep their source topics' names: validation refuses a link prefix.
    topics: Object.fromEntries(group.topics.map((t) => [t, t])),
    consumerGroups: [...group.consumerGroups],
    lagThreshold: group.lagThreshold,
    link: {
      name: config.link.name,
      restEndpoint: dst.restEndpoint,
      clusterId: dst.clusterId,
      apiKey: dst.apiKey,
      apiSecret,
      ...(dst.restCaCertificates ? { restCaCertificates: dst.restCaCertificates } : {}),
    },
    source: {
      bootstrap: config.source.location.brokers.map((b) => `${b.host}:${b.port}`).join(","),
      securityProtocol: config.source.securityProtocol,
      mechanism: config.source.auth.mechanism,
      username: config.source.auth.username,
      password: sourcePassword,
      ...(config.source.caCertificates ? { caCertificates: config.source.caCertificates } : {}),
    },
    destination: {
      bootstrap: dst.bootstrap.map((b) => `${b.host}:${b.port}`).join(","),
      securityProtocol: dst.securityProtocol,
      mechanism: "PLAIN",
      username: dst.apiKey,
      password: apiSecret,
      ...(dst.caCertificates ? { caCertificates: dst.caCertificates } : {}),
    },
  };
}

/**
 * The stack file as the Pulumi runtime would hand it to the program: each key's value as a string (objects
 * as JSON), secrets decrypted and marked so, so `validateLinkWatchConfig` judges it as it judges the program's.
 */
function rawStackConfig(file: string, stack: string, env: NodeJS.ProcessEnv, configGet: ConfigGet): RawStackConfig {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such stack file`);
  const doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (!key.startsWith(`${NAMESPACE}:`) || value === null || value === undefined) continue;
    if (isSecure(value)) continue; // read below when the watcher needs it; other secrets stay encrypted
    values[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  for (const [key, envName] of Object.entries(SECRET_ENV)) {
    const fromEnv = env[envName];
    const stored = doc.config?.[key];
    if (fromEnv !== undefined) values[key] = fromEnv;
    else if (isSecure(stored)) values[key] = configGet(key, stack, file);
    else continue; // absent, or in plain text: the validator says which, and how to fix it
    secretKeys.add(key);
  }
  return { values, secretKeys };
}

/** A secret the validator has required already; a missing one here is a bug, said without its value. */
function given(raw: RawStackConfig, key: string): string {
  const value = raw.values[key];
  if (value === undefined) throw new Error(`${key} is not set`);
  return value;
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { secure?: unknown }).secure === "string";
}

function pulumiConfigGetSecret(key: string, stack: string, file: string): string {
  return pulumiConfigGetSecretVia(key, stack, file, SECRET_ENV[key]);
}
