/**
 * `groups[i].canary` and the secret `canaryPasswords`: who signs in to a group's route after its switch to
 * produce and read back one record, and with which mechanism (the route's own, unless the config says).
 */
import { rmCommand, setCommand } from "./errors";
import { ConfigReader, JsonObject, isObject } from "./reader";
import { GatewayConfig, MigrationGroupConfig, SASL_MECHANISMS, SaslMechanism, TOPIC_NAME } from "./schema";

/** What `groups[i].canary` says, before the password and the route's mechanism are known. */
export interface CanarySpec {
  readonly topic: string;
  readonly username: string;
  readonly mechanism?: SaslMechanism;
}

const EXAMPLE_TOPIC = "kafka-cutover.canary";

/** `null` when the group has no canary; undefined (problems reported) when it is malformed. */
export function readCanarySpec(
  r: ConfigReader,
  value: JsonObject[string] | undefined,
  path: string,
): CanarySpec | null | undefined {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) {
    r.report(
      path,
      "must be an object with topic and username",
      `pulumi config set --path 'kafka-cutover:${path}.topic' ${EXAMPLE_TOPIC}`,
    );
    return undefined;
  }
  r.rejectUnknown(value, path, ["topic", "username", "mechanism"]);
  r.forbidPlainSecret(value, "password", path, "canaryPasswords");
  const topic = r.string(value, "topic", path, EXAMPLE_TOPIC, {
    pattern: TOPIC_NAME,
    patternHelp: "is not a valid Kafka topic name",
  });
  const username = r.string(value, "username", path, "orders-canary");
  const mechanism = value.mechanism === undefined ? undefined : r.oneOf(value, "mechanism", path, SASL_MECHANISMS);
  if (!topic || !username || (value.mechanism !== undefined && !mechanism) || value.password !== undefined)
    return undefined;
  return { topic, username, ...(mechanism ? { mechanism } : {}) };
}

/**
 * The groups with their canaries complete: the password from `canaryPasswords`, the mechanism the route takes
 * once switched (swap: the Gateway's client authentication; passthrough: the destination's API-key PLAIN).
 */
export function attachCanaries(
  r: ConfigReader,
  groups: readonly MigrationGroupConfig[],
  specs: readonly (CanarySpec | null)[],
  gateway: GatewayConfig,
): MigrationGroupConfig[] | undefined {
  const wanted = groups.filter((_, i) => specs[i]);
  if (wanted.length === 0) {
    if (r.has("canaryPasswords"))
      r.report(
        "canaryPasswords",
        "is set, but no group has a canary, so nothing reads it",
        rmCommand("canaryPasswords"),
      );
    return [...groups];
  }
  const passwords = r.secretObject("canaryPasswords", "each group's canary password, by group name", {
    valuePattern: /^\S+$/,
    valueHelp: "<password>",
    keyPattern: /^[a-z0-9-]+$/,
    keyHelp: "must be group names",
    exampleKey: wanted[0].name,
  });
  let ok = passwords !== undefined;
  const out = groups.map((g, i): MigrationGroupConfig => {
    const spec = specs[i];
    if (!spec) return g;
    const path = `groups[${i}].canary`;
    const mechanism = spec.mechanism ?? routeMechanism(g, gateway);
    if (!mechanism) {
      r.report(
        path,
        "is set, but the group's route takes mTLS client certificates after the switch and the canary signs in with SASL",
        rmCommand(path),
      );
      ok = false;
    }
    if (g.topics.includes(spec.topic)) {
      r.report(
        `${path}.topic`,
        `is ${JSON.stringify(spec.topic)}, one of the group's own topics: the canary would write into the applications' data`,
        setCommand(`${path}.topic`, EXAMPLE_TOPIC),
      );
      ok = false;
    }
    if (passwords && !passwords.keys.includes(g.name)) {
      r.report(
        "canaryPasswords",
        `has no entry for ${JSON.stringify(g.name)}, whose canary (groups[${i}].canary) signs in as ${spec.username}`,
        setCommand(`canaryPasswords.${g.name}`, "<password>", { secret: true }),
      );
      ok = false;
    }
    if (!mechanism || !passwords) return g;
    return {
      ...g,
      canary: {
        topic: spec.topic,
        username: spec.username,
        mechanism,
        password: passwords.value.apply((p) => p[g.name] ?? ""),
      },
    };
  });
  return ok ? out : undefined;
}

function routeMechanism(g: MigrationGroupConfig, gateway: GatewayConfig): SaslMechanism | undefined {
  if (g.auth === "passthrough") return "PLAIN";
  const client = gateway.swap.clientAuthentication;
  return client === "scram" ? "SCRAM-SHA-512" : client === "plain" ? "PLAIN" : undefined;
}
