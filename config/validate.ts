import { DEFAULT_FENCE_ERROR_CODE } from "../components/gatewaySpec";
import { checkAclPrincipals, readAclPrincipals } from "./aclPrincipals";
import { CanarySpec, attachCanaries, readCanarySpec } from "./canary";
import { StackConfigError, rmCommand, setCommand } from "./errors";
import { ConfigReader, JsonObject, RawStackConfig, isObject, nearest } from "./reader";
import { protocolUsesTls, readCaCertificates } from "./tls";
import {
  BrokerAddress,
  CreateDestinationConfig,
  CutoverTimeouts,
  DestinationConfig,
  KAFKA_ERROR_NAMES,
  KafkaErrorName,
  ExistingDestinationConfig,
  GatewayConfig,
  LinkConfig,
  MigrationGroupConfig,
  NETWORKING_TYPES,
  NodeIdRange,
  OAuthClient,
  ProtectionConfig,
  RETENTION_MODES,
  SWAP_CLIENT_AUTH,
  SWAP_CLUSTER_AUTH,
  SwapConfig,
  NetworkingType,
  ROUTE_AUTH_MODES,
  SASL_MECHANISMS,
  SECURITY_PROTOCOLS,
  TOPIC_NAME,
  SourceAuth,
  SourceConfig,
  StackConfig,
} from "./schema";

/** Group names become route, resource and Kubernetes names: a DNS-1123 label. */
const GROUP_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/**
 * A principal is a key of the Gateway's File secret store, i.e. of a Kubernetes Secret, which allows only
 * these characters.
 */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const PRINCIPAL_HELP =
  "is not usable as a principal in the Gateway's File secret store: it becomes a Kubernetes Secret key (letters, digits, '-', '_' and '.')";
const HOST = /^(\[[0-9a-fA-F:]+\]|[a-zA-Z0-9]([a-zA-Z0-9-]{0,62})?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,62})?)*)$/;

export const DEFAULT_TIMEOUTS: CutoverTimeouts = {
  readinessMs: 300_000,
  fenceMs: 30_000,
  promoteMs: 120_000,
  switchMs: 60_000,
  // As long as one offset sync at the default link.offsetSyncMs: the window overlaps the wait for that sync,
  // so it usually adds nothing to the time clients are held (see DESIGN.md, "The cutover").
  fenceVerifyMs: 5_000,
};
export const DEFAULT_OFFSET_SYNC_MS = 5_000;
/** Destroy keeps what clients depend on unless the stack config says otherwise. */
export const DEFAULT_PROTECTION: ProtectionConfig = { destination: "retain", gateway: "retain", abandonGroups: [] };

/**
 * Turns raw stack config into a `StackConfig`, or throws a `StackConfigError` naming every bad key,
 * what is wrong with it and the `pulumi config set` that fixes it. Runs before any resource is declared.
 */
export function validateStackConfig(raw: RawStackConfig): StackConfig {
  const r = new ConfigReader(raw);
  const source = readSource(r);
  const destination = readDestination(r);
  const link = readLink(r);
  const gw = readGateway(r, source?.securityProtocol);
  const gateway = gw?.config;
  const read = readGroups(r);
  const groups = read && gateway ? attachCanaries(r, read.groups, read.canaries, gateway) : undefined;
  if (gw && groups && destination) checkSwapCredentials(r, destination, gw, groups);
  if (groups && destination && source) checkAclPrincipals(r, source, destination, groups);
  if (link?.prefix) refuseLinkPrefix(r, link.prefix, read?.groups ?? []);
  const protection = readProtection(r, read?.groups);
  if (
    gateway &&
    groups &&
    !gateway.scramRegistrationEndpoint &&
    gateway.swap.clientAuthentication === "scram" &&
    groups.some((g) => g.auth === "swap")
  ) {
    r.report(
      "gateway.scramRegistrationEndpoint",
      "is not set: swap routes with SCRAM clients need a registration route, through which each client's SCRAM credentials are registered with the Gateway before the cutover",
      "pulumi config set --path 'kafka-cutover:gateway.scramRegistrationEndpoint' scram-registration.gateway.example:9599",
    );
  }
  if (r.issues.length > 0 || !source || !destination || !link || !gateway || !groups || !protection) {
    throw new StackConfigError(r.issues);
  }
  return { source, destination, link, gateway, groups, protection };
}

/**
 * The `source` section alone, by the program's own rules (secrets included), for tools that read the source
 * before any group is declared (discovery). Throws a `StackConfigError` naming every problem.
 */
export function validateSourceConfig(raw: RawStackConfig): SourceConfig {
  const r = new ConfigReader(raw);
  const source = readSource(r);
  if (r.issues.length > 0 || !source) throw new StackConfigError(r.issues);
  return source;
}

/** The sections a read-only watcher of the link and both clusters needs (`npm run lag`): no Gateway. */
export interface LinkWatchConfig {
  readonly source: SourceConfig;
  readonly destination: DestinationConfig;
  readonly link: LinkConfig;
  /** Without their canaries: those need the Gateway's config, which a watcher does not read. */
  readonly groups: readonly MigrationGroupConfig[];
}

/**
 * `source`, `destination`, `link` and `groups` by the program's own rules (secrets included), for tools that
 * read the clusters and the link but not the Gateway. Throws a `StackConfigError` naming every problem.
 */
export function validateLinkWatchConfig(raw: RawStackConfig): LinkWatchConfig {
  const r = new ConfigReader(raw);
  const source = readSource(r);
  const destination = readDestination(r);
  const link = readLink(r);
  const groups = readGroups(r)?.groups;
  if (r.issues.length > 0 || !source || !destination || !link || !groups) throw new StackConfigError(r.issues);
  return { source, destination, link, groups };
}

/** `host:port[,host:port...]`, as Kafka's `bootstrap.servers`. Undefined (with an issue reported) when malformed. */
export function parseBootstrap(
  r: ConfigReader,
  value: string | undefined,
  path: string,
  example: string,
): BrokerAddress[] | undefined {
  if (value === undefined) return undefined;
  const brokers: BrokerAddress[] = [];
  for (const part of value.split(",").map((s) => s.trim())) {
    const m = /^(.+):(\d{1,5})$/.exec(part);
    const port = m ? Number(m[2]) : NaN;
    if (!m || !HOST.test(m[1]) || port < 1 || port > 65535) {
      r.report(
        path,
        `is ${JSON.stringify(value)}: ${JSON.stringify(part)} is not a host:port broker address (a comma-separated list of host:port, port 1-65535)`,
        `pulumi config set --path '${"kafka-cutover:" + path}' ${example}`,
      );
      return undefined;
    }
    brokers.push({ host: m[1], port });
  }
  return brokers;
}

function readSource(r: ConfigReader): SourceConfig | undefined {
  const path = "source";
  const src = r.object(
    path,
    '\'{"bootstrap": "b-1.msk.example:9096", "auth": {"mechanism": "SCRAM-SHA-512", "username": "cutover"}}\'',
  );
  if (!src) return undefined;
  r.rejectUnknown(src, path, [
    "bootstrap",
    "mskClusterName",
    "mskPublicEndpoints",
    "clusterId",
    "securityProtocol",
    "auth",
    "caCertificates",
  ]);
  const location = readSourceLocation(r, src, path);
  const clusterId = r.string(src, "clusterId", path, "<kafka cluster id from DescribeCluster>", { optional: true });
  const securityProtocol = r.oneOf(src, "securityProtocol", path, SECURITY_PROTOCOLS, { default: "SASL_SSL" });
  const auth = readSourceAuth(r, src.auth, `${path}.auth`);
  const caCertificates = securityProtocol
    ? readCaCertificates(r, src, "caCertificates", path, {
        what: "the source",
        usesTls: protocolUsesTls(securityProtocol),
        why: `speaks ${securityProtocol}`,
      })
    : undefined;
  if (location?.kind === "msk" && auth && auth.mechanism !== "SCRAM-SHA-512") {
    // The MSK lookup yields the SASL/SCRAM listener, and MSK's SCRAM is SHA-512 only.
    r.report(
      `${path}.auth.mechanism`,
      `is ${JSON.stringify(auth.mechanism)}, but source.mskClusterName reads MSK's SASL/SCRAM bootstrap, which accepts only SCRAM-SHA-512 (give source.bootstrap for another listener)`,
      `pulumi config set --path 'kafka-cutover:${path}.auth.mechanism' SCRAM-SHA-512`,
    );
    return undefined;
  }
  if (!location || !securityProtocol || !auth || (src.caCertificates !== undefined && !caCertificates))
    return undefined;
  return {
    location,
    securityProtocol,
    auth,
    ...(clusterId ? { clusterId } : {}),
    ...(caCertificates ? { caCertificates } : {}),
  };
}

/** `source.bootstrap` (host:port list) or `source.mskClusterName` (+ `mskPublicEndpoints`), exactly one. */
function readSourceLocation(r: ConfigReader, src: JsonObject, path: string): SourceConfig["location"] | undefined {
  if (src.bootstrap !== undefined && src.mskClusterName !== undefined) {
    r.report(
      path,
      "sets both bootstrap and mskClusterName; give one",
      `pulumi config rm --path 'kafka-cutover:source.mskClusterName' (or source.bootstrap)`,
    );
    return undefined;
  }
  if (src.mskClusterName !== undefined) {
    // MSK's own rule for cluster names.
    const clusterName = r.string(src, "mskClusterName", path, "my-msk-cluster", {
      pattern: /^[0-9A-Za-z][0-9A-Za-z-]{0,63}$/,
      patternHelp: "is not an MSK cluster name (letters, digits and '-', at most 64, starting with a letter or digit)",
    });
    const publicEndpoints = r.boolean(src, "mskPublicEndpoints", path, false);
    return clusterName && publicEndpoints !== undefined ? { kind: "msk", clusterName, publicEndpoints } : undefined;
  }
  if (src.mskPublicEndpoints !== undefined) {
    r.report(
      `${path}.mskPublicEndpoints`,
      "is set, but only applies with source.mskClusterName; source.bootstrap already says which listener to use",
      rmCommand(`${path}.mskPublicEndpoints`),
    );
    return undefined;
  }
  const bootstrap = r.string(src, "bootstrap", path, "b-1.msk.example:9096,b-2.msk.example:9096");
  const brokers = parseBootstrap(r, bootstrap, `${path}.bootstrap`, "b-1.msk.example:9096,b-2.msk.example:9096");
  return brokers ? { kind: "bootstrap", brokers } : undefined;
}

function readSourceAuth(r: ConfigReader, value: JsonObject[string] | undefined, path: string): SourceAuth | undefined {
  if (!isObject(value)) {
    r.report(
      path,
      value === undefined ? "is not set" : "must be an object",
      `pulumi config set --path '${"kafka-cutover:" + path}.mechanism' SCRAM-SHA-512`,
    );
    return undefined;
  }
  if (value.mechanism === "MTLS") {
    // The cutover reads the source's offsets, groups and producers itself; that path speaks SASL only (DESIGN.md).
    r.report(
      `${path}.mechanism`,
      "is MTLS, which this version does not offer: the link and the cutover sign in to the source with SASL",
      `turn on SASL/SCRAM on the source next to mTLS (MSK allows both client authentications at once), create a user for the migration and set --path '${"kafka-cutover:" + path}.mechanism' SCRAM-SHA-512 with '${"kafka-cutover:" + path}.username' and the secret sourcePassword`,
    );
    return undefined;
  }
  r.rejectUnknown(value, path, ["mechanism", "username", "password"]);
  r.forbidPlainSecret(value, "password", path, "sourcePassword");
  const mechanism = r.oneOf(value, "mechanism", path, SASL_MECHANISMS);
  const username = r.string(value, "username", path, "cutover");
  const password = r.secret("sourcePassword", "the source SASL password");
  return mechanism && username && password ? { mechanism, username, password } : undefined;
}

function readDestination(r: ConfigReader): DestinationConfig | undefined {
  const path = "destination";
  const dst = r.object(path, '\'{"mode": "existing", "clusterId": "lkc-abc123", ...}\'');
  if (!dst) return undefined;
  const mode = r.oneOf(dst, "mode", path, ["existing", "create"] as const);
  if (mode === "existing") return readExistingDestination(r, dst, path);
  if (mode === "create") return readCreateDestination(r, dst, path);
  return undefined;
}

function readExistingDestination(
  r: ConfigReader,
  dst: JsonObject,
  path: string,
): ExistingDestinationConfig | undefined {
  r.rejectUnknown(dst, path, [
    "mode",
    "clusterId",
    "bootstrap",
    "restEndpoint",
    "securityProtocol",
    "apiKey",
    "apiSecret",
    "caCertificates",
    "restCaCertificates",
  ]);
  r.forbidPlainSecret(dst, "apiSecret", path, "destinationApiSecret");
  const clusterId = r.string(dst, "clusterId", path, "lkc-abc123", {
    pattern: /^[a-zA-Z0-9._-]+$/,
    patternHelp: "is not a cluster id such as lkc-abc123",
  });
  const bootstrap = parseBootstrap(
    r,
    r.string(dst, "bootstrap", path, "pkc-xyz.us-east-1.aws.confluent.cloud:9092"),
    `${path}.bootstrap`,
    "pkc-xyz.us-east-1.aws.confluent.cloud:9092",
  );
  const restEndpoint = r.string(dst, "restEndpoint", path, "https://pkc-xyz.us-east-1.aws.confluent.cloud:443", {
    pattern: /^https?:\/\/[^\s/]+(:\d+)?\/?$/,
    patternHelp: "is not an http(s)://host[:port] URL",
  });
  const securityProtocol = r.oneOf(dst, "securityProtocol", path, SECURITY_PROTOCOLS, { default: "SASL_SSL" });
  const apiKey = r.string(dst, "apiKey", path, "<cluster API key id>");
  const apiSecret = r.secret("destinationApiSecret", "the destination cluster API key's secret");
  const caCertificates = securityProtocol
    ? readCaCertificates(r, dst, "caCertificates", path, {
        what: "the destination",
        usesTls: protocolUsesTls(securityProtocol),
        why: `speaks ${securityProtocol}`,
      })
    : undefined;
  const restCaCertificates = restEndpoint
    ? readCaCertificates(r, dst, "restCaCertificates", path, {
        what: "the destination's REST endpoint",
        usesTls: restEndpoint.startsWith("https://"),
        why: "is an http:// URL",
      })
    : undefined;
  if (!clusterId || !bootstrap || !restEndpoint || !securityProtocol || !apiKey || !apiSecret) return undefined;
  if (
    (dst.caCertificates !== undefined && !caCertificates) ||
    (dst.restCaCertificates !== undefined && !restCaCertificates)
  )
    return undefined;
  return {
    mode: "existing",
    clusterId,
    bootstrap,
    restEndpoint: restEndpoint.replace(/\/$/, ""),
    securityProtocol,
    apiKey,
    apiSecret,
    ...(caCertificates ? { caCertificates } : {}),
    ...(restCaCertificates ? { restCaCertificates } : {}),
  };
}

function readCreateDestination(r: ConfigReader, dst: JsonObject, path: string): CreateDestinationConfig | undefined {
  r.rejectUnknown(dst, path, ["mode", "environmentName", "region", "cluster", "networking"]);
  const environmentName = r.string(dst, "environmentName", path, "msk-migration");
  const region = r.string(dst, "region", path, "us-east-1", {
    pattern: /^[a-z]{2}(-[a-z]+)+-\d$/,
    patternHelp: "is not an AWS region such as us-east-1",
  });
  const cluster = isObject(dst.cluster) ? dst.cluster : undefined;
  const networking = isObject(dst.networking) ? dst.networking : undefined;
  if (!cluster)
    r.report(
      `${path}.cluster`,
      "is not set",
      `pulumi config set --path 'kafka-cutover:${path}.cluster.name' migration`,
    );
  if (!networking)
    r.report(
      `${path}.networking`,
      "is not set",
      `pulumi config set --path 'kafka-cutover:${path}.networking.type' privatelink`,
    );
  if (!cluster || !networking) return undefined;
  const cp = `${path}.cluster`;
  r.rejectUnknown(cluster, cp, ["name", "ckus", "availability", "zones"]);
  const name = r.string(cluster, "name", cp, "migration");
  const availability = r.oneOf(cluster, "availability", cp, ["MULTI_ZONE", "SINGLE_ZONE"] as const, {
    default: "MULTI_ZONE",
  });
  const ckus = r.integer(cluster, "ckus", cp, {
    default: availability === "MULTI_ZONE" ? 2 : 1,
    min: availability === "MULTI_ZONE" ? 2 : 1,
    max: 152,
  });
  const zones = r.stringList(cluster, "zones", cp, "use1-az1", {
    optional: true,
    pattern: AZ_ID,
    patternHelp: "is not an AWS availability-zone id such as use1-az1 (an id, not a name like us-east-1a)",
  });
  const net = readCreateNetworking(r, networking, `${path}.networking`);
  if (!environmentName || !region || !name || !availability || !ckus || !zones || !net) return undefined;
  return { mode: "create", environmentName, region, cluster: { name, ckus, availability, zones }, networking: net };
}

/** AWS availability-zone ids (stable across accounts, unlike names), which Confluent's networks use. */
const AZ_ID = /^[a-z]{2,4}\d+-az\d+$/;
/** Which networking types read each optional key; set for another type, the key is a mistake, not a no-op. */
const USED_BY: Record<"cidr" | "awsAccountId" | "transitGatewayId", readonly NetworkingType[]> = {
  cidr: ["peering", "transitgateway"],
  awsAccountId: ["privatelink", "peering"],
  transitGatewayId: ["transitgateway"],
};

function readCreateNetworking(
  r: ConfigReader,
  networking: JsonObject,
  np: string,
): CreateDestinationConfig["networking"] | undefined {
  r.rejectUnknown(networking, np, [
    "type",
    "vpcId",
    "subnetIds",
    "cidr",
    "routeTableIds",
    "awsAccountId",
    "transitGatewayId",
  ]);
  const type = r.oneOf(networking, "type", np, NETWORKING_TYPES);
  const vpcId = r.string(networking, "vpcId", np, "vpc-0123456789abcdef0", {
    pattern: /^vpc-[0-9a-f]+$/,
    patternHelp: "is not a VPC id such as vpc-0123456789abcdef0",
  });
  const subnetIds = r.stringList(networking, "subnetIds", np, "subnet-0123456789abcdef0", {
    nonEmpty: "the VPC endpoint or attachment needs at least one subnet",
  });
  const routeTableIds = r.stringList(networking, "routeTableIds", np, "rtb-0123456789abcdef0", { optional: true });
  const cidr = r.string(networking, "cidr", np, "10.10.0.0/16", {
    optional: true,
    pattern: /^\d+\.\d+\.\d+\.\d+\/16$/,
    patternHelp:
      "is not a /16 CIDR block such as 10.10.0.0/16 (Confluent allocates a /16 for peering and transit gateway networks)",
  });
  const awsAccountId = readAwsAccountId(r, networking, np);
  const transitGatewayId = r.string(networking, "transitGatewayId", np, "tgw-0123456789abcdef0", {
    optional: true,
    pattern: /^tgw-[0-9a-f]{8,17}$/,
    patternHelp: "is not a transit gateway id such as tgw-0123456789abcdef0",
  });
  if (!type) return undefined;
  let ok = true;
  for (const key of Object.keys(USED_BY) as (keyof typeof USED_BY)[]) {
    if (networking[key] !== undefined && !USED_BY[key].includes(type)) {
      r.report(
        `${np}.${key}`,
        `is set, but networking.type ${type} does not use it (only ${USED_BY[key].join(" and ")} do)`,
        rmCommand(`${np}.${key}`),
      );
      ok = false;
    }
  }
  if ((type === "peering" || type === "transitgateway") && !cidr && networking.cidr === undefined) {
    r.report(
      `${np}.cidr`,
      `is required for ${type}: the /16 Confluent allocates for the network`,
      `pulumi config set --path 'kafka-cutover:${np}.cidr' 10.10.0.0/16`,
    );
    ok = false;
  }
  if ((type === "peering" || type === "transitgateway") && routeTableIds && routeTableIds.length === 0) {
    r.report(
      `${np}.routeTableIds`,
      `is empty: ${type} needs the route tables that get a route to Confluent`,
      `pulumi config set --path 'kafka-cutover:${np}.routeTableIds[0]' rtb-0123456789abcdef0`,
    );
    ok = false;
  }
  if (type === "transitgateway" && !transitGatewayId && networking.transitGatewayId === undefined) {
    r.report(
      `${np}.transitGatewayId`,
      "is required for transitgateway: the transit gateway the program shares with Confluent through AWS RAM",
      `pulumi config set --path 'kafka-cutover:${np}.transitGatewayId' tgw-0123456789abcdef0`,
    );
    ok = false;
  }
  if (
    !ok ||
    !vpcId ||
    !subnetIds ||
    !routeTableIds ||
    (networking.cidr !== undefined && !cidr) ||
    (networking.awsAccountId !== undefined && !awsAccountId) ||
    (networking.transitGatewayId !== undefined && !transitGatewayId)
  )
    return undefined;
  return {
    type,
    vpcId,
    subnetIds,
    routeTableIds,
    ...(cidr ? { cidr } : {}),
    ...(awsAccountId ? { awsAccountId } : {}),
    ...(transitGatewayId ? { transitGatewayId } : {}),
  };
}

/**
 * A 12-digit AWS account id. YAML reads an unquoted `012345678901` as a number and drops the leading
 * zero, so a number is accepted only when it still has 12 digits; otherwise the fix is to quote it.
 */
function readAwsAccountId(r: ConfigReader, networking: JsonObject, np: string): string | undefined {
  const at = `${np}.awsAccountId`;
  const value = networking.awsAccountId;
  if (value === undefined || value === null) return undefined;
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  if (typeof text === "string" && /^\d{12}$/.test(text)) return text;
  const quoteHint =
    typeof value === "number"
      ? '; if it starts with 0, quote it in the YAML (awsAccountId: "012345678901") so the leading zero survives'
      : "";
  r.report(
    at,
    `is ${JSON.stringify(value)}, which is not a 12-digit AWS account id${quoteHint}`,
    `pulumi config set --path 'kafka-cutover:${at}' 123456789012`,
  );
  return undefined;
}

function readLink(r: ConfigReader): LinkConfig | undefined {
  const path = "link";
  const link = r.object(path, '\'{"name": "msk-to-cc"}\'');
  if (!link) return undefined;
  r.rejectUnknown(link, path, ["name", "offsetSyncMs", "aclSync", "prefix"]);
  const name = r.string(link, "name", path, "msk-to-cc", {
    pattern: /^[a-zA-Z0-9._-]{1,249}$/,
    patternHelp: "may use only letters, digits, '.', '_' and '-'",
  });
  const offsetSyncMs = r.integer(link, "offsetSyncMs", path, {
    default: DEFAULT_OFFSET_SYNC_MS,
    min: 1_000,
    max: 3_600_000,
    unit: "milliseconds",
  });
  const aclSync = r.boolean(link, "aclSync", path, false);
  const prefix = r.string(link, "prefix", path, "msk.", {
    optional: true,
    pattern: TOPIC_NAME,
    patternHelp: "may use only letters, digits, '.', '_' and '-'",
  });
  if (!name || offsetSyncMs === undefined || aclSync === undefined) return undefined;
  return { name, offsetSyncMs, aclSync, ...(prefix ? { prefix } : {}) };
}

/**
 * `kafka-cutover:protection`, optional: what destroy keeps (`destination`, `gateway`) and the groups whose
 * unfinished migration the operator gives up (`abandonGroups`), each checked against the groups.
 */
function readProtection(
  r: ConfigReader,
  groups: readonly MigrationGroupConfig[] | undefined,
): ProtectionConfig | undefined {
  const path = "protection";
  const obj = r.object(path, `'{"destination": "retain", "gateway": "retain"}'`, { optional: true });
  if (!obj) return r.has(path) ? undefined : DEFAULT_PROTECTION;
  r.rejectUnknown(obj, path, ["destination", "gateway", "abandonGroups"]);
  const destination = r.oneOf(obj, "destination", path, RETENTION_MODES, { default: "retain" });
  const gateway = r.oneOf(obj, "gateway", path, RETENTION_MODES, { default: "retain" });
  const abandonGroups = r.stringList(obj, "abandonGroups", path, "<group name>", { optional: true });
  if (abandonGroups && groups) {
    const names = groups.map((g) => g.name);
    abandonGroups.forEach((name, i) => {
      const at = `${path}.abandonGroups[${i}]`;
      const group = groups.find((g) => g.name === name);
      if (!group) {
        // Only a group still declared can be abandoned: the up that records it must reach its resources.
        const near = nearest(names, name);
        r.report(
          at,
          `is ${JSON.stringify(name)}, which is not a group in kafka-cutover:groups${near ? ` (did you mean ${near}?)` : ""}; a group is abandoned while it is still declared, and removed from groups in a later up`,
          near ? setCommand(at, near) : rmCommand(at),
        );
      } else if (group.cutover) {
        r.report(
          at,
          `is ${JSON.stringify(name)}, whose cutover is true: a group being cut over or cut over has nothing to abandon, its promoted topics are its clients' now`,
          `${rmCommand(at)} (or set the group's cutover back to false if it has not been cut over yet)`,
        );
      }
    });
  }
  if (!destination || !gateway || !abandonGroups) return undefined;
  return { destination, gateway, abandonGroups: [...new Set(abandonGroups)] };
}

/**
 * Every group is cut over through its Gateway route, and a route passes topic names through unchanged: with a
 * prefix the mirrors would not be where the group's clients look after the switch. Renaming on the route is
 * not built, so the prefix is refused (components/clusterLink.ts still names mirrors with one, for the link).
 */
function refuseLinkPrefix(r: ConfigReader, prefix: string, groups: readonly MigrationGroupConfig[]): void {
  const topic = groups[0]?.topics[0] ?? "orders";
  const names = groups.length > 0 ? ` (${groups.map((g) => g.name).join(", ")})` : "";
  r.report(
    "link.prefix",
    `is ${JSON.stringify(prefix)}, so the link would name each mirror <prefix><topic> (${topic} → ${prefix}${topic}), but every group${names} is cut over through its Gateway route, which does not rename topics: after the switch their clients would ask the destination for ${topic}, which would not exist there`,
    `${rmCommand("link.prefix")} (the prefix is fixed when the link is created: a link that already has one is replaced)`,
  );
}

/** The Gateway's config, and the principals `swapCredentials` has entries for (its keys are not secret). */
interface ReadGateway {
  readonly config: GatewayConfig;
  readonly swapCredentialKeys?: readonly string[];
}

/** `sourceProtocol`: the routes speak TLS when the source does (clients keep their config), so it decides the routes' trust. */
function readGateway(r: ConfigReader, sourceProtocol: string | undefined): ReadGateway | undefined {
  const path = "gateway";
  const gw = r.object(path, '\'{"namespace": "confluent", "name": "migration-gateway"}\'');
  const kubeconfig = r.secret(
    "kubeconfig",
    "the kubeconfig of the cluster that runs the Gateway (it holds credentials)",
  );
  if (!gw) return undefined;
  r.rejectUnknown(gw, path, [
    "namespace",
    "name",
    "sourceDomain",
    "destinationDomain",
    "kubeconfig",
    "sourceNodeIds",
    "destinationNodeIds",
    "swap",
    "scramRegistrationEndpoint",
    "replicas",
    "hotReload",
    "routeCaCertificates",
  ]);
  r.forbidPlainSecret(gw, "kubeconfig", path, "kubeconfig");
  const routeCaCertificates = readCaCertificates(r, gw, "routeCaCertificates", path, {
    what: "the Gateway's routes",
    // Unknown while the source is invalid: that problem is reported on its own key.
    usesTls: sourceProtocol === undefined || protocolUsesTls(sourceProtocol),
    why: `take the source's protocol (${sourceProtocol ?? ""}), which does not use TLS`,
  });
  const replicas = r.integer(gw, "replicas", path, { default: 3, min: 1, max: 100, unit: "Gateway pods" });
  const hotReload = r.boolean(gw, "hotReload", path, true);
  const dns = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
  const dnsHelp = "is not a Kubernetes name (lower-case letters, digits and '-')";
  const namespace = r.string(gw, "namespace", path, "confluent", { pattern: dns, patternHelp: dnsHelp });
  const name = r.string(gw, "name", path, "migration-gateway", { pattern: dns, patternHelp: dnsHelp });
  const sourceDomain = r.string(gw, "sourceDomain", path, "msk", { pattern: dns, patternHelp: dnsHelp });
  const destinationDomain = r.string(gw, "destinationDomain", path, "confluent-cloud", {
    pattern: dns,
    patternHelp: dnsHelp,
  });
  if (sourceDomain && sourceDomain === destinationDomain) {
    r.report(
      `${path}.destinationDomain`,
      `equals gateway.sourceDomain (${JSON.stringify(sourceDomain)}); the two streaming domains must differ`,
      `pulumi config set --path 'kafka-cutover:${path}.destinationDomain' confluent-cloud`,
    );
    return undefined;
  }
  const sourceNodeIds = readNodeIdRange(r, gw, "sourceNodeIds", path, { start: 1, end: 3 });
  const destinationNodeIds = readNodeIdRange(r, gw, "destinationNodeIds", path, { start: 0, end: 17 });
  const swap = readSwap(r, gw.swap, `${path}.swap`);
  const registration = parseBootstrap(
    r,
    r.string(gw, "scramRegistrationEndpoint", path, "scram-registration.gateway.example:9599", { optional: true }),
    `${path}.scramRegistrationEndpoint`,
    "scram-registration.gateway.example:9599",
  );
  const swapCredentials = r.secretObject("swapCredentials", "the swap routes' principal → <apiKey>/<apiSecret> map", {
    optional: true,
    valuePattern: /^[^/\s]+\/\S+$/,
    valueHelp: "<apiKey>/<apiSecret>",
    keyPattern: SECRET_KEY,
    keyHelp: PRINCIPAL_HELP,
  });
  const oauthClient = readOAuthClient(r, swap);
  if (
    !namespace ||
    !name ||
    !sourceDomain ||
    !destinationDomain ||
    !kubeconfig ||
    !sourceNodeIds ||
    !destinationNodeIds ||
    !swap ||
    replicas === undefined ||
    hotReload === undefined ||
    (gw.routeCaCertificates !== undefined && !routeCaCertificates)
  )
    return undefined;
  if (swap.clusterAuthentication === "oauth" && !oauthClient) return undefined;
  return {
    config: {
      namespace,
      name,
      kubeconfig,
      sourceDomain,
      destinationDomain,
      sourceNodeIds,
      destinationNodeIds,
      swap,
      replicas,
      hotReload,
      ...(swapCredentials ? { swapCredentials: swapCredentials.value } : {}),
      ...(oauthClient ? { oauthClient } : {}),
      ...(registration ? { scramRegistrationEndpoint: registration[0] } : {}),
      ...(routeCaCertificates ? { routeCaCertificates } : {}),
    },
    ...(swapCredentials ? { swapCredentialKeys: swapCredentials.keys } : {}),
  };
}

const OAUTH_SECRETS = ["swapOAuthClientId", "swapOAuthClientSecret"] as const;

/**
 * `swapOAuthClientId` and `swapOAuthClientSecret`, top-level secrets like every credential: required with
 * `clusterAuthentication: oauth`, a mistake without it. Undefined (problems reported) when unusable.
 */
function readOAuthClient(r: ConfigReader, swap: SwapConfig | undefined): OAuthClient | undefined {
  if (swap?.clusterAuthentication !== "oauth") {
    for (const key of OAUTH_SECRETS) {
      if (swap && r.has(key))
        r.report(
          key,
          "is set, but gateway.swap.clusterAuthentication is not oauth, so nothing reads it",
          `${rmCommand(key)} (or pulumi config set --path 'kafka-cutover:gateway.swap.clusterAuthentication' oauth)`,
        );
    }
    return undefined;
  }
  // The File secret store splits "<clientId>/<clientSecret>" at the first '/'.
  const clientId = r.secret("swapOAuthClientId", "the OAuth client id the Gateway signs swapped principals in with", {
    valuePattern: /^[^/\s]+$/,
    valueHelp:
      "contains '/' or whitespace: the Gateway's File secret store splits <clientId>/<clientSecret> at the first '/'",
  });
  const clientSecret = r.secret(
    "swapOAuthClientSecret",
    "the secret of the OAuth client the Gateway signs swapped principals in with",
  );
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
}

/**
 * Where each swap route's secret-store entries (principal → destination credential) come from, checked
 * against the destination mode: `swapCredentials` (existing mode, PLAIN out), the API key the stack
 * creates per group (create mode, PLAIN out), or the OAuth client (OAUTHBEARER out). The last two need
 * the principals each group's clients sign in as.
 */
function checkSwapCredentials(
  r: ConfigReader,
  destination: DestinationConfig,
  gw: ReadGateway,
  groups: readonly MigrationGroupConfig[],
): void {
  const oauth = gw.config.swap.clusterAuthentication === "oauth";
  const generated = !oauth && destination.mode === "create";
  if (r.has("swapCredentials") && (oauth || generated)) {
    r.report(
      "swapCredentials",
      oauth
        ? "is set, but gateway.swap.clusterAuthentication is oauth: the Gateway signs every swapped principal in with the OAuth client (swapOAuthClientId, swapOAuthClientSecret)"
        : "is set, but destination.mode is create: each swap group's principals sign in with the API key this stack creates for the group; list them in groups[<i>].principals instead",
      rmCommand("swapCredentials"),
    );
  }
  const swapping = groups.map((g, i) => ({ g, i })).filter(({ g }) => g.auth === "swap");
  if (swapping.length === 0) return;
  if (oauth || generated) {
    const source = oauth ? "the OAuth client" : "the API key this stack creates for the group";
    for (const { g, i } of swapping.filter(({ g }) => g.principals.length === 0)) {
      r.report(
        `groups[${i}].principals`,
        `is not set, but ${g.name} uses auth: swap and its clients sign in to the destination with ${source}: list the principals they sign in to the Gateway as (SCRAM or PLAIN usernames, or the names principalMappingRules give their certificates)`,
        setCommand(`groups[${i}].principals[0]`, "<client principal>"),
      );
    }
    return;
  }
  const listed = swapping.flatMap(({ g }) => g.principals);
  const example = `'{${(listed.length > 0 ? listed : ["<client principal>"]).map((p) => `"${p}": "<apiKey>/<apiSecret>"`).join(", ")}}'`;
  if (!gw.swapCredentialKeys) {
    // Set but unusable (plain text, malformed) is already reported.
    if (r.has("swapCredentials")) return;
    const names = swapping.map(({ g }) => g.name);
    r.report(
      "swapCredentials",
      `is not set, but group${names.length > 1 ? "s" : ""} ${names.join(", ")} use${names.length > 1 ? "" : "s"} auth: swap: the Gateway needs the destination API key of each client principal`,
      setCommand("swapCredentials", example, { secret: true }),
    );
    return;
  }
  const keys = new Set(gw.swapCredentialKeys);
  for (const { g, i } of swapping) {
    const missing = g.principals.filter((p) => !keys.has(p));
    if (missing.length > 0)
      r.report(
        "swapCredentials",
        `has no entry for ${missing.map((p) => JSON.stringify(p)).join(", ")}, listed in groups[${i}].principals (${g.name}): the Gateway could not sign ${missing.length > 1 ? "them" : "it"} in to the destination after the cutover`,
        `${setCommand("swapCredentials", example, { secret: true })} (the whole map, with an entry for every principal)`,
      );
  }
}

/** `"1-3"` (or a single id `"1"`): the broker ids a cluster uses, which the Gateway maps to its ports. */
function readNodeIdRange(
  r: ConfigReader,
  obj: JsonObject,
  field: string,
  path: string,
  def: NodeIdRange,
): NodeIdRange | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return def;
  const m = /^(\d+)(?:-(\d+))?$/.exec(String(value));
  const start = m ? Number(m[1]) : NaN;
  const end = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || end < start || end - start > 1000) {
    r.report(
      `${path}.${field}`,
      `is ${JSON.stringify(value)}, but must be a broker id range such as "1-3" (start ≤ end)`,
      `pulumi config set --path 'kafka-cutover:${path}.${field}' ${def.start}-${def.end}`,
    );
    return undefined;
  }
  return { start, end };
}

function readSwap(r: ConfigReader, value: JsonObject[string] | undefined, path: string): SwapConfig | undefined {
  const obj: JsonObject = isObject(value) ? value : {};
  if (value !== undefined && !isObject(value)) {
    r.report(
      path,
      "must be an object with clientAuthentication and clusterAuthentication",
      `pulumi config set --path 'kafka-cutover:${path}.clientAuthentication' scram`,
    );
    return undefined;
  }
  r.rejectUnknown(obj, path, [
    "clientAuthentication",
    "clusterAuthentication",
    "tokenEndpointUri",
    "identityPoolId",
    "principalMappingRules",
    "clientId",
    "clientSecret",
  ]);
  r.forbidPlainSecret(obj, "clientId", path, "swapOAuthClientId");
  r.forbidPlainSecret(obj, "clientSecret", path, "swapOAuthClientSecret");
  const clientAuthentication = r.oneOf(obj, "clientAuthentication", path, SWAP_CLIENT_AUTH, { default: "scram" });
  const clusterAuthentication = r.oneOf(obj, "clusterAuthentication", path, SWAP_CLUSTER_AUTH, { default: "plain" });
  const tokenEndpointUri = r.string(obj, "tokenEndpointUri", path, "https://idp.example.com/oauth2/token", {
    optional: clusterAuthentication !== "oauth",
    pattern: /^https:\/\/\S+$/,
    patternHelp: "is not an https URL",
  });
  const identityPoolId = r.string(obj, "identityPoolId", path, "pool-AbC1", {
    optional: true,
    pattern: /^pool-[A-Za-z0-9]+$/,
    patternHelp: "is not a Confluent Cloud identity pool id such as pool-AbC1",
  });
  let oauthOnly = true;
  for (const field of ["tokenEndpointUri", "identityPoolId"] as const) {
    if (clusterAuthentication && clusterAuthentication !== "oauth" && obj[field] !== undefined) {
      r.report(
        `${path}.${field}`,
        `is set, but clusterAuthentication is ${clusterAuthentication}; only oauth uses it`,
        rmCommand(`${path}.${field}`),
      );
      oauthOnly = false;
    }
  }
  const principalMappingRules = r.stringList(obj, "principalMappingRules", path, "RULE:^CN=([^,]+).*$/$1/", {
    optional: true,
  });
  if (clientAuthentication === "mtls" && principalMappingRules && principalMappingRules.length === 0) {
    r.report(
      `${path}.principalMappingRules`,
      "is empty: with clientAuthentication mtls the Gateway needs rules that turn a certificate subject into a principal",
      `pulumi config set --path 'kafka-cutover:${path}.principalMappingRules[0]' 'RULE:^CN=([^,]+).*$/$1/'`,
    );
    return undefined;
  }
  if (
    !oauthOnly ||
    !clientAuthentication ||
    !clusterAuthentication ||
    !principalMappingRules ||
    (obj.identityPoolId !== undefined && !identityPoolId) ||
    (clusterAuthentication === "oauth" && !tokenEndpointUri) ||
    obj.clientId !== undefined ||
    obj.clientSecret !== undefined
  )
    return undefined;
  return {
    clientAuthentication,
    clusterAuthentication,
    principalMappingRules,
    ...(tokenEndpointUri ? { tokenEndpointUri } : {}),
    ...(identityPoolId ? { identityPoolId } : {}),
  };
}

function readGroups(r: ConfigReader): { groups: MigrationGroupConfig[]; canaries: (CanarySpec | null)[] } | undefined {
  const list = r.list(
    "groups",
    '\'{"name": "payments", "topics": ["payments.transactions"], "endpoint": "payments.gateway.example:9092"}\'',
  );
  if (!list) return undefined;
  if (list.length === 0) {
    r.report(
      "groups",
      "is empty: declare at least one migration group",
      "add a group under kafka-cutover:groups in Pulumi.<stack>.yaml",
    );
    return undefined;
  }
  const read = list.map((item, i) => readGroup(r, item, `groups[${i}]`));
  const groups = read.map((g) => g?.group);
  checkGroupsAreDisjoint(r, groups);
  if (!groups.every((g): g is MigrationGroupConfig => g !== undefined)) return undefined;
  const canaries = read.map((g) => g?.canary);
  return canaries.every((c): c is CanarySpec | null => c !== undefined) ? { groups, canaries } : undefined;
}

function readGroup(
  r: ConfigReader,
  item: JsonObject[string],
  path: string,
): { group: MigrationGroupConfig; canary: CanarySpec | null | undefined } | undefined {
  if (!isObject(item)) {
    r.report(
      path,
      "must be an object with name, topics and endpoint",
      `edit ${"kafka-cutover:" + path} in Pulumi.<stack>.yaml`,
    );
    return undefined;
  }
  r.rejectUnknown(item, path, [
    "name",
    "topics",
    "consumerGroups",
    "endpoint",
    "auth",
    "principals",
    "lagThreshold",
    "timeouts",
    "cutover",
    "canary",
    "fence",
    "aclPrincipals",
  ]);
  const name = r.string(item, "name", path, "payments", {
    pattern: GROUP_NAME,
    patternHelp:
      "is not a valid group name (lower-case letters, digits and '-', at most 63, as it names the Gateway route)",
  });
  const topics = r.stringList(item, "topics", path, "payments.transactions", {
    nonEmpty: "a migration group moves at least one topic",
    pattern: TOPIC_NAME,
    patternHelp: "is not a valid Kafka topic name",
  });
  const consumerGroups = r.stringList(item, "consumerGroups", path, "payments-service", { optional: true });
  const endpoint = parseBootstrap(
    r,
    r.string(item, "endpoint", path, "payments.gateway.example:9092"),
    `${path}.endpoint`,
    "payments.gateway.example:9092",
  );
  if (endpoint && endpoint.length !== 1)
    r.report(
      `${path}.endpoint`,
      "must be one host:port: the route's single bootstrap endpoint",
      `pulumi config set --path 'kafka-cutover:${path}.endpoint' payments.gateway.example:9092`,
    );
  const auth = r.oneOf(item, "auth", path, ROUTE_AUTH_MODES, { default: "passthrough" });
  const principals = r.stringList(item, "principals", path, "orders-service", {
    optional: true,
    pattern: SECRET_KEY,
    patternHelp: PRINCIPAL_HELP,
  });
  if (auth === "passthrough" && principals && principals.length > 0)
    r.report(
      `${path}.principals`,
      "is set, but the group's auth is passthrough: the Gateway swaps no credentials on its route",
      `${rmCommand(`${path}.principals`)} (or pulumi config set --path 'kafka-cutover:${path}.auth' swap)`,
    );
  const lagThreshold = r.integer(item, "lagThreshold", path, {
    default: 1_000,
    min: 0,
    unit: "records of total mirror lag",
  });
  const cutover = r.boolean(item, "cutover", path, false);
  const timeouts = readTimeouts(r, item.timeouts, `${path}.timeouts`);
  const fence = readFence(r, item.fence, `${path}.fence`);
  const canary = readCanarySpec(r, item.canary, `${path}.canary`);
  const aclPrincipals = readAclPrincipals(r, item.aclPrincipals, `${path}.aclPrincipals`);
  if (
    !name ||
    !topics ||
    !consumerGroups ||
    !endpoint ||
    endpoint.length !== 1 ||
    !auth ||
    !principals ||
    (auth === "passthrough" && principals.length > 0) ||
    lagThreshold === undefined ||
    cutover === undefined ||
    !timeouts ||
    !fence ||
    aclPrincipals === undefined
  )
    return undefined;
  return {
    group: {
      name,
      topics,
      consumerGroups,
      endpoint: endpoint[0],
      auth,
      principals,
      lagThreshold,
      timeouts,
      fence,
      cutover,
      ...(aclPrincipals ? { aclPrincipals } : {}),
    },
    canary,
  };
}

function readTimeouts(
  r: ConfigReader,
  value: JsonObject[string] | undefined,
  path: string,
): CutoverTimeouts | undefined {
  if (value === undefined || value === null) return DEFAULT_TIMEOUTS;
  if (!isObject(value)) {
    r.report(
      path,
      `must be an object of ${Object.keys(DEFAULT_TIMEOUTS).join(", ")}`,
      `pulumi config set --path 'kafka-cutover:${path}.readinessMs' ${DEFAULT_TIMEOUTS.readinessMs}`,
    );
    return undefined;
  }
  r.rejectUnknown(value, path, Object.keys(DEFAULT_TIMEOUTS));
  const step = (k: keyof CutoverTimeouts, max = 86_400_000) =>
    r.integer(value, k, path, { default: DEFAULT_TIMEOUTS[k], min: 1_000, max, unit: "milliseconds" });
  const t = {
    readinessMs: step("readinessMs"),
    fenceMs: step("fenceMs"),
    promoteMs: step("promoteMs"),
    switchMs: step("switchMs"),
    // Clients are held for at least this long: ten minutes is already far past any reason to wait.
    fenceVerifyMs: step("fenceVerifyMs", 600_000),
  };
  return Object.values(t).every((v) => v !== undefined) ? (t as CutoverTimeouts) : undefined;
}

/** `groups[].fence`: which Kafka error a fenced route answers with. */
function readFence(
  r: ConfigReader,
  value: JsonObject[string] | undefined,
  path: string,
): { errorCode: KafkaErrorName } | undefined {
  if (value === undefined || value === null) return { errorCode: DEFAULT_FENCE_ERROR_CODE };
  if (!isObject(value)) {
    r.report(
      path,
      "must be an object with errorCode",
      `pulumi config set --path 'kafka-cutover:${path}.errorCode' ${DEFAULT_FENCE_ERROR_CODE}`,
    );
    return undefined;
  }
  r.rejectUnknown(value, path, ["errorCode"]);
  const errorCode = r.knownName(value, "errorCode", path, KAFKA_ERROR_NAMES, {
    default: DEFAULT_FENCE_ERROR_CODE,
    what: "a Kafka error name (org.apache.kafka.common.protocol.Errors, e.g. COORDINATOR_NOT_AVAILABLE)",
  });
  return errorCode ? { errorCode } : undefined;
}

/** A topic or consumer group cut over by two groups would move twice, and split the clients of one of them. */
function checkGroupsAreDisjoint(r: ConfigReader, groups: readonly (MigrationGroupConfig | undefined)[]): void {
  const names = new Map<string, number>();
  const topics = new Map<string, number>();
  const consumerGroups = new Map<string, number>();
  const endpoints = new Map<string, number>();
  const principals = new Map<string, number>();
  groups.forEach((g, i) => {
    if (!g) return;
    const first = names.get(g.name);
    if (first !== undefined) {
      r.report(
        `groups[${i}].name`,
        `${JSON.stringify(g.name)} is already the name of groups[${first}]; group names must be unique`,
        `pulumi config set --path 'kafka-cutover:groups[${i}].name' ${g.name}-2`,
      );
    } else names.set(g.name, i);
    g.topics.forEach((t, j) => {
      const owner = topics.get(t);
      if (owner !== undefined && owner !== i) {
        r.report(
          `groups[${i}].topics[${j}]`,
          `topic ${JSON.stringify(t)} is already in groups[${owner}] (${groups[owner]?.name}); a topic belongs to exactly one group`,
          `remove it from one of the two groups in Pulumi.<stack>.yaml`,
        );
      } else topics.set(t, i);
    });
    g.consumerGroups.forEach((c, j) => {
      const owner = consumerGroups.get(c);
      if (owner !== undefined && owner !== i) {
        r.report(
          `groups[${i}].consumerGroups[${j}]`,
          `consumer group ${JSON.stringify(c)} is already in groups[${owner}]; its offsets move with exactly one group`,
          `remove it from one of the two groups in Pulumi.<stack>.yaml`,
        );
      } else consumerGroups.set(c, i);
    });
    g.principals.forEach((p, j) => {
      const owner = principals.get(p);
      if (owner !== undefined && owner !== i) {
        r.report(
          `groups[${i}].principals[${j}]`,
          `principal ${JSON.stringify(p)} is already in groups[${owner}]; the Gateway's secret store maps a principal to one credential`,
          `remove it from one of the two groups in Pulumi.<stack>.yaml`,
        );
      } else principals.set(p, i);
    });
    const ep = `${g.endpoint.host}:${g.endpoint.port}`;
    const epOwner = endpoints.get(ep);
    if (epOwner !== undefined) {
      r.report(
        `groups[${i}].endpoint`,
        `${ep} is already the endpoint of groups[${epOwner}]; each group needs its own route`,
        `pulumi config set --path 'kafka-cutover:groups[${i}].endpoint' <host:port>`,
      );
    } else endpoints.set(ep, i);
  });
}
