// The link configuration keys the emulator knows: defaults, which are read-only or sensitive, and how
// each value is validated. Unknown keys are refused, as Confluent Cloud does.
import { parseGroupFilters } from "./groupFilters";
import { parseJaasConfig } from "./jaas";

interface ConfigSpec {
  default: string | null;
  readOnly?: boolean;
  sensitive?: boolean;
  synonyms?: string[];
  validate?: (value: string) => void;
}

const positiveInt =
  (name: string) =>
  (value: string): void => {
    if (!/^\d+$/.test(value) || Number(value) <= 0)
      throw new Error(`${name} must be a positive integer, got '${value}'`);
  };
const bool =
  (name: string) =>
  (value: string): void => {
    if (value !== "true" && value !== "false") throw new Error(`${name} must be true or false, got '${value}'`);
  };
const oneOf =
  (name: string, allowed: string[]) =>
  (value: string): void => {
    if (!allowed.includes(value)) throw new Error(`${name} must be one of ${allowed.join(", ")}, got '${value}'`);
  };

export const configSpecs: Record<string, ConfigSpec> = {
  "bootstrap.servers": {
    default: null,
    validate: (v) => {
      if (!/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/.test(v))
        throw new Error(`bootstrap.servers must be host:port[,host:port…], got '${v}'`);
    },
  },
  "security.protocol": {
    default: "PLAINTEXT",
    validate: oneOf("security.protocol", ["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL"]),
  },
  "sasl.mechanism": {
    default: "GSSAPI",
    validate: oneOf("sasl.mechanism", ["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]),
  },
  "sasl.jaas.config": { default: null, sensitive: true, validate: (v) => void parseJaasConfig(v) },
  "link.mode": { default: "DESTINATION", readOnly: true, validate: oneOf("link.mode", ["DESTINATION"]) },
  "connection.mode": { default: "OUTBOUND", readOnly: true, validate: oneOf("connection.mode", ["OUTBOUND"]) },
  "cluster.link.prefix": { default: "", readOnly: true },
  "consumer.offset.sync.enable": { default: "false", validate: bool("consumer.offset.sync.enable") },
  "consumer.offset.sync.ms": { default: "30000", synonyms: ["cosm"], validate: positiveInt("consumer.offset.sync.ms") },
  "consumer.offset.group.filters": { default: "", validate: (v) => void parseGroupFilters(v) },
  "consumer.group.prefix.enable": { default: "false", validate: bool("consumer.group.prefix.enable") },
  "acl.sync.enable": { default: "false", validate: oneOf("acl.sync.enable", ["false"]) },
  "acl.sync.ms": { default: "5000", validate: positiveInt("acl.sync.ms") },
  "acl.filters": { default: "" },
  "auto.create.mirror.topics.enable": {
    default: "false",
    validate: oneOf("auto.create.mirror.topics.enable", ["false"]),
  },
  "auto.create.mirror.topics.filters": { default: "" },
  "topic.config.sync.ms": { default: "5000", validate: positiveInt("topic.config.sync.ms") },
};

/** Keys that change how the link connects: changing one reconnects the link. */
export const connectionKeys = new Set(["bootstrap.servers", "security.protocol", "sasl.mechanism", "sasl.jaas.config"]);

export function validateConfig(name: string, value: string, { creating }: { creating: boolean }): void {
  const spec = configSpecs[name];
  if (!spec) throw new Error(`Unknown cluster link config '${name}'.`);
  if (spec.readOnly && !creating) throw new Error(`Cluster link config '${name}' is read-only and cannot be altered.`);
  spec.validate?.(value);
}

/** The value in effect: the link's own, else the default. */
export function effectiveConfig(configs: Record<string, string>, name: string): string | undefined {
  return configs[name] ?? configSpecs[name]?.default ?? undefined;
}
