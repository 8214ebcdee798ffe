// The cluster link's inputs as the provider sees them, what `check` says about them, and the link
// configs (`POST /links` body, per-key PUT/DELETE) they turn into. Pure: no network, no Pulumi runtime.
import type * as pulumi from "@pulumi/pulumi";
import { DestinationAccess, Failures, KAFKA_NAME, checkDestination, checkString, isUnknown } from "./inputs";

export const LINK_SASL_MECHANISMS = ["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] as const;
export const LINK_MECHANISMS = [...LINK_SASL_MECHANISMS, "MTLS"] as const;
export const LINK_SECURITY_PROTOCOLS = ["SASL_SSL", "SASL_PLAINTEXT", "SSL", "PLAINTEXT"] as const;
export type LinkMechanism = (typeof LINK_MECHANISMS)[number];
export type LinkSecurityProtocol = (typeof LINK_SECURITY_PROTOCOLS)[number];

/** Plain values, as the provider receives them (secrets unwrapped). */
export interface ClusterLinkInputs extends DestinationAccess {
  readonly linkName: string;
  /** The source's Kafka cluster id (DescribeCluster), which the link verifies on creation. */
  readonly sourceClusterId: string;
  /** `host:port,…` of the source brokers, as `bootstrap.servers`. */
  readonly sourceBootstrap: string;
  readonly securityProtocol: LinkSecurityProtocol;
  readonly mechanism: LinkMechanism;
  /** SASL mechanisms. */
  readonly username?: string;
  /** SASL mechanisms; secret. */
  readonly password?: string;
  /** MTLS: the client certificate chain, PEM. */
  readonly certificatePem?: string;
  /** MTLS: the client certificate's private key, PEM; secret. */
  readonly privateKeyPem?: string;
  /**
   * PEM CAs the source's brokers chain to (`ssl.truststore.type=PEM`, `ssl.truststore.certificates`); unset, the
   * link trusts what the destination's brokers trust by default.
   */
  readonly sourceCaCertificates?: string;
  /** `consumer.offset.sync.ms`. */
  readonly offsetSyncMs: number;
  /** Consumer groups whose offsets the link syncs (INCLUDE, LITERAL each); empty syncs none. */
  readonly consumerGroups: readonly string[];
  /** `acl.sync.enable`. */
  readonly aclSync: boolean;
  /** `cluster.link.prefix`; fixed at creation. */
  readonly prefix?: string;
  /** Any other link configs (e.g. `topic.config.sync.ms`); may not set the keys the inputs above manage. */
  readonly configs?: Readonly<Record<string, string>>;
  /**
   * The migration groups the link carries, each with its mirror topics' names: not a link config, only what
   * a refused delete names (which group is not cut over). @default [] (mirrors named by topic alone)
   */
  readonly groups?: readonly LinkGroup[];
}

/** A migration group on the link: its name and its mirror topics on the destination. */
export interface LinkGroup {
  readonly name: string;
  readonly mirrorTopics: readonly string[];
}

/** Outputs: the inputs, plus what the API says about the link. */
export interface ClusterLinkOutputs extends ClusterLinkInputs {
  readonly clusterLinkId: string;
  readonly linkState: string;
}

/** Inputs that carry a credential: outputs of the same name are additionalSecretOutputs. */
export const LINK_SECRET_INPUTS = ["apiSecret", "password", "privateKeyPem"] as const;
/** Link configs whose value is a credential: never logged, never in an error. */
export const SECRET_LINK_CONFIGS = new Set(["sasl.jaas.config", "ssl.keystore.key"]);
/** Set only when the link is created (Confluent refuses to alter it). */
export const CREATE_ONLY_LINK_CONFIGS = new Set(["cluster.link.prefix"]);

/** Every key `linkConfigs` may set: `configs` may not set them too. */
const MANAGED_CONFIGS = [
  "bootstrap.servers",
  "security.protocol",
  "sasl.mechanism",
  "sasl.jaas.config",
  "ssl.keystore.type",
  "ssl.keystore.certificate.chain",
  "ssl.keystore.key",
  "ssl.truststore.type",
  "ssl.truststore.certificates",
  "consumer.offset.sync.enable",
  "consumer.offset.sync.ms",
  "consumer.offset.group.filters",
  "acl.sync.enable",
  "cluster.link.prefix",
  "link.mode",
  "connection.mode",
];

const LOGIN_MODULE: Record<(typeof LINK_SASL_MECHANISMS)[number], string> = {
  "SCRAM-SHA-512": "org.apache.kafka.common.security.scram.ScramLoginModule",
  "SCRAM-SHA-256": "org.apache.kafka.common.security.scram.ScramLoginModule",
  PLAIN: "org.apache.kafka.common.security.plain.PlainLoginModule",
};

/** A JAAS option value in double quotes: `\` and `"` escaped, as Kafka's JAAS parser reads them. */
function quoted(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** `sasl.jaas.config` for a SASL mechanism. Holds the password: secret. */
export function jaasConfig(
  mechanism: (typeof LINK_SASL_MECHANISMS)[number],
  username: string,
  password: string,
): string {
  return `${LOGIN_MODULE[mechanism]} required username=${quoted(username)} password=${quoted(password)};`;
}

/** `consumer.offset.group.filters`: each consumer group INCLUDE, LITERAL; sorted, so order in config is no change. */
export function groupFilters(consumerGroups: readonly string[]): string {
  const names = [...new Set(consumerGroups)].sort();
  return JSON.stringify({
    groupFilters: names.map((name) => ({ name, patternType: "LITERAL", filterType: "INCLUDE" })),
  });
}

/**
 * The link's configs, in the order they are sent: how to reach and log in to the source, then the
 * behaviour (offset sync of the groups' consumer groups, ACL sync, prefix), then `configs`.
 */
export function linkConfigs(i: ClusterLinkInputs): Record<string, string> {
  const out: Record<string, string> = {
    "bootstrap.servers": i.sourceBootstrap,
    "security.protocol": i.securityProtocol,
  };
  if (i.mechanism === "MTLS") {
    out["ssl.keystore.type"] = "PEM";
    out["ssl.keystore.certificate.chain"] = i.certificatePem ?? "";
    out["ssl.keystore.key"] = i.privateKeyPem ?? "";
  } else {
    out["sasl.mechanism"] = i.mechanism;
    out["sasl.jaas.config"] = jaasConfig(i.mechanism, i.username ?? "", i.password ?? "");
  }
  if (i.sourceCaCertificates) {
    out["ssl.truststore.type"] = "PEM";
    out["ssl.truststore.certificates"] = i.sourceCaCertificates;
  }
  out["consumer.offset.sync.enable"] = "true";
  out["consumer.offset.sync.ms"] = String(i.offsetSyncMs);
  out["consumer.offset.group.filters"] = groupFilters(i.consumerGroups);
  out["acl.sync.enable"] = String(i.aclSync);
  if (i.prefix) out["cluster.link.prefix"] = i.prefix;
  return { ...out, ...(i.configs ?? {}) };
}

/** What to send to turn the link's configs from `olds` into `news`: PUT the changed, DELETE the dropped. */
export function configChanges(
  olds: ClusterLinkInputs,
  news: ClusterLinkInputs,
): { set: [string, string][]; reset: string[] } {
  const before = linkConfigs(olds);
  const after = linkConfigs(news);
  const set = Object.entries(after).filter(([k, v]) => before[k] !== v && !CREATE_ONLY_LINK_CONFIGS.has(k));
  const reset = Object.keys(before).filter((k) => !(k in after) && !CREATE_ONLY_LINK_CONFIGS.has(k));
  return { set, reset };
}

const BROKER = /^(\[[0-9a-fA-F:]+\]|[a-zA-Z0-9]([a-zA-Z0-9-]{0,62})?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,62})?)*):(\d{1,5})$/;

/**
 * The cluster link's `check`: every problem, per property, with what to do. Inputs still unknown (a
 * preview before the destination exists) are accepted: they are checked at up. A credential's value
 * never appears in a reason.
 */
export function checkLinkInputs(news: Record<string, unknown>): pulumi.dynamic.CheckFailure[] {
  const f = new Failures();
  checkDestination(f, news);
  checkString(f, news, "linkName", "the cluster link's name", {
    pattern: KAFKA_NAME,
    patternHelp: "is not a link name (letters, digits, '.', '_' and '-', at most 249)",
  });
  if (
    f.known(news.sourceClusterId) &&
    (typeof news.sourceClusterId !== "string" || news.sourceClusterId.trim() === "")
  ) {
    f.add(
      "sourceClusterId",
      "is not set: the link names its source by Kafka cluster id, which the destination verifies when it connects. " +
        "Find it with `kafka-cluster.sh cluster-id --bootstrap-server <source broker>` (or `kcat -L`), then: pulumi config set --path 'kafka-cutover:source.clusterId' <id>",
    );
  } else {
    checkString(f, news, "sourceClusterId", "the source's Kafka cluster id", {
      pattern: /^[a-zA-Z0-9._-]+$/,
      patternHelp: "is not a Kafka cluster id (DescribeCluster's clusterId, e.g. 7fK2qWc1RkOQ3sXbKq1Z9A)",
    });
  }
  checkBootstrap(f, news.sourceBootstrap);
  checkAuth(f, news);
  checkBehaviour(f, news);
  return f.list;
}

function checkBootstrap(f: Failures, value: unknown): void {
  if (!f.known(value)) return;
  if (typeof value !== "string" || value.trim() === "") {
    f.add("sourceBootstrap", "is not set: the source brokers as host:port[,host:port…]");
    return;
  }
  const bad = value
    .split(",")
    .map((s) => s.trim())
    .find((part) => {
      const m = BROKER.exec(part);
      return !m || Number(m[5]) < 1 || Number(m[5]) > 65535;
    });
  if (bad !== undefined)
    f.add(
      "sourceBootstrap",
      `is ${JSON.stringify(value)}: ${JSON.stringify(bad)} is not a host:port broker address (a comma-separated list of host:port, port 1-65535)`,
    );
}

function checkAuth(f: Failures, news: Record<string, unknown>): void {
  const { mechanism, securityProtocol } = news;
  const mechanismOk = f.known(mechanism) && (LINK_MECHANISMS as readonly unknown[]).includes(mechanism);
  if (f.known(mechanism) && !mechanismOk)
    f.add("mechanism", `is ${JSON.stringify(mechanism)}; use one of ${LINK_MECHANISMS.join(", ")}`);
  const protocolOk =
    f.known(securityProtocol) && (LINK_SECURITY_PROTOCOLS as readonly unknown[]).includes(securityProtocol);
  if (f.known(securityProtocol) && !protocolOk)
    f.add(
      "securityProtocol",
      `is ${JSON.stringify(securityProtocol)}; use one of ${LINK_SECURITY_PROTOCOLS.join(", ")}`,
    );
  if (news.sourceCaCertificates !== undefined && f.known(news.sourceCaCertificates)) {
    if (protocolOk && !String(securityProtocol).endsWith("SSL"))
      f.add(
        "sourceCaCertificates",
        `is set, but securityProtocol ${String(securityProtocol)} does not use TLS; remove it or use SASL_SSL`,
      );
    else
      checkPem(
        f,
        news,
        "sourceCaCertificates",
        "CERTIFICATE",
        "the CA certificates (PEM) the source's brokers chain to",
        false,
      );
  }
  if (!mechanismOk) return;
  if (mechanism === "MTLS") {
    if (protocolOk && securityProtocol !== "SSL")
      f.add(
        "securityProtocol",
        `is ${String(securityProtocol)}, but mutual TLS needs SSL: set the source's securityProtocol to SSL`,
      );
    checkPem(
      f,
      news,
      "certificatePem",
      "CERTIFICATE",
      "the client certificate chain (PEM) the link presents to the source",
      false,
    );
    checkPem(
      f,
      news,
      "privateKeyPem",
      "PRIVATE KEY",
      "the client certificate's private key (PEM, a Pulumi secret)",
      true,
    );
    for (const k of ["username", "password"])
      if (news[k] !== undefined) f.add(k, "is set, but mechanism MTLS authenticates with the certificate; remove it");
    return;
  }
  if (protocolOk && securityProtocol !== "SASL_SSL" && securityProtocol !== "SASL_PLAINTEXT") {
    f.add(
      "securityProtocol",
      `is ${String(securityProtocol)}, but mechanism ${String(mechanism)} is SASL: use SASL_SSL (or SASL_PLAINTEXT on a private test network)`,
    );
  }
  checkString(f, news, "username", `the SASL username the link logs in to the source as (${String(mechanism)})`);
  checkString(f, news, "password", "the SASL password of the link's user (a Pulumi secret)", { secret: true });
  for (const k of ["certificatePem", "privateKeyPem"])
    if (news[k] !== undefined)
      f.add(k, `is set, but mechanism ${String(mechanism)} logs in with a password; remove it`);
}

function checkPem(
  f: Failures,
  news: Record<string, unknown>,
  key: string,
  label: string,
  what: string,
  secret: boolean,
): void {
  const value = news[key];
  if (!f.known(value)) return;
  if (typeof value !== "string" || value.trim() === "") f.add(key, `is not set: ${what}`);
  else if (!new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(value)) {
    f.add(
      key,
      `is not PEM: expected a -----BEGIN …${label}----- block${secret ? "" : ` (got ${JSON.stringify(value.slice(0, 30))}…)`}`,
    );
  }
}

function checkGroups(f: Failures, groups: unknown): void {
  if (groups === undefined || !f.known(groups)) return;
  if (!Array.isArray(groups)) {
    f.add("groups", "must be a list of { name, mirrorTopics } (the migration groups the link carries)");
    return;
  }
  groups.forEach((g: unknown, i) => {
    if (isUnknown(g)) return;
    const o = typeof g === "object" && g !== null ? (g as Record<string, unknown>) : {};
    if (typeof o.name !== "string" || o.name === "") f.add(`groups[${i}].name`, "is not a group name");
    const topics = o.mirrorTopics;
    if (f.known(topics) && (!Array.isArray(topics) || topics.some((t) => typeof t !== "string" && !isUnknown(t))))
      f.add(`groups[${i}].mirrorTopics`, "must be a list of mirror topic names");
  });
}

function checkBehaviour(f: Failures, news: Record<string, unknown>): void {
  const ms = news.offsetSyncMs;
  if (f.known(ms) && (typeof ms !== "number" || !Number.isInteger(ms) || ms < 1_000)) {
    f.add(
      "offsetSyncMs",
      `is ${JSON.stringify(ms)}; give consumer.offset.sync.ms as a whole number of milliseconds, at least 1000`,
    );
  }
  const groups = news.consumerGroups;
  if (f.known(groups)) {
    if (!Array.isArray(groups))
      f.add("consumerGroups", "must be a list of consumer group names (empty syncs no offsets)");
    else
      groups.forEach((g, i) => {
        if (isUnknown(g)) return;
        if (typeof g !== "string" || g === "") f.add(`consumerGroups[${i}]`, "is not a consumer group name");
        else if (g === "*")
          f.add(
            `consumerGroups[${i}]`,
            'is "*", which would sync every group\'s offsets; list the groups that move instead',
          );
      });
  }
  checkGroups(f, news.groups);
  if (f.known(news.aclSync) && typeof news.aclSync !== "boolean")
    f.add("aclSync", `is ${JSON.stringify(news.aclSync)}; give true or false`);
  if (news.prefix !== undefined)
    checkString(f, news, "prefix", "the mirror topic prefix", {
      pattern: KAFKA_NAME,
      patternHelp: "is not a topic-name prefix (letters, digits, '.', '_' and '-')",
    });
  const configs = news.configs;
  if (configs === undefined || !f.known(configs)) return;
  if (typeof configs !== "object" || configs === null || Array.isArray(configs)) {
    f.add("configs", "must be a map of link config name to string value");
    return;
  }
  for (const [k, v] of Object.entries(configs)) {
    if (MANAGED_CONFIGS.includes(k))
      f.add(
        `configs["${k}"]`,
        `is managed by this resource's own inputs (source bootstrap and auth, offsetSyncMs, consumerGroups, aclSync, prefix); remove it from configs`,
      );
    else if (typeof v !== "string" && !isUnknown(v)) f.add(`configs["${k}"]`, "must be a string");
  }
}
