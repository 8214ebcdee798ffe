import { SecretStore } from "../auth/secretStore";
import { errorCodeOf } from "../protocol/apiKeys";
import { parseHostPort, type ClientMechanism, type RouteAuth, type RouteConfig } from "../proxy/config";
import type { SecretSource } from "./sources";
import type { GatewaySpec, RouteSpec } from "./types";

export type Resolution = { ok: true; routes: RouteConfig[] } | { ok: false; errors: string[] };

const DEFAULT_NODE_ID_RANGES = [{ name: "default", start: 0, end: 3 }];

/**
 * Validates a Gateway spec against the secrets it references and turns it into data-plane route configs.
 * Every problem is collected, so one status message lists all of them.
 */
export function resolveGatewaySpec(spec: GatewaySpec, secrets: SecretSource): Resolution {
  const errors: string[] = [];
  const routes: RouteConfig[] = [];
  const domains = new Map((spec.streamingDomains ?? []).map((d) => [d.name, d]));
  const stores = new Map((spec.secretStores ?? []).map((s) => [s.name, s]));
  const seen = new Set<string>();
  for (const route of spec.routes ?? []) {
    const where = `route ${route.name}`;
    if (seen.has(route.name)) errors.push(`${where}: duplicate route name`);
    seen.add(route.name);
    const before = errors.length;
    const config = resolveRoute(route, domains, stores, secrets, (m) => errors.push(`${where}: ${m}`));
    if (config && errors.length === before) routes.push(config);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, routes };
}

function resolveRoute(
  route: RouteSpec,
  domains: Map<string, NonNullable<GatewaySpec["streamingDomains"]>[number]>,
  stores: Map<string, NonNullable<GatewaySpec["secretStores"]>[number]>,
  secrets: SecretSource,
  error: (message: string) => void,
): RouteConfig | undefined {
  let endpoint;
  try {
    endpoint = parseHostPort(route.endpoint);
  } catch (err) {
    error(`endpoint: ${(err as Error).message}`);
  }
  const strategy = route.brokerIdentificationStrategy?.type ?? "port";
  if (strategy !== "port") error(`brokerIdentificationStrategy ${strategy} is not supported by the emulator (only port)`);
  const domainName = route.streamingDomain?.name;
  const domain = domainName ? domains.get(domainName) : undefined;
  if (!domainName) error("streamingDomain.name is required");
  else if (!domain) error(`streamingDomain ${domainName} is not declared in spec.streamingDomains`);
  const servers = domain?.kafkaCluster?.bootstrapServers ?? [];
  const serverId = route.streamingDomain?.bootstrapServerId;
  const server = serverId ? servers.find((s) => s.id === serverId) : servers[0];
  if (domain && !server) error(`streamingDomain ${domainName} has no bootstrapServer ${serverId ?? "(any)"}`);
  let bootstrap;
  if (server) {
    try {
      bootstrap = parseHostPort(server.endpoint);
    } catch (err) {
      error(`streamingDomain ${domainName} bootstrapServer ${server.id}: ${(err as Error).message}`);
    }
  }
  const auth = resolveAuth(route, stores, secrets, error);
  let fence;
  if (route.fence) {
    if ((route.fence.scope ?? "ALL") !== "ALL") error(`fence.scope ${route.fence.scope} is not supported (only ALL)`);
    try {
      fence = { errorCode: errorCodeOf(route.fence.errorCode ?? "BROKER_NOT_AVAILABLE") };
    } catch (err) {
      error(`fence.errorCode: ${(err as Error).message}`);
    }
  }
  if (!endpoint || !bootstrap || !auth || !domainName) return undefined;
  return {
    name: route.name,
    endpoint,
    nodeIdRanges: route.nodeIdRanges ?? domain?.kafkaCluster?.nodeIdRanges ?? DEFAULT_NODE_ID_RANGES,
    target: { domain: domainName, bootstrap },
    auth,
    ...(fence ? { fence } : {}),
  };
}

function resolveAuth(
  route: RouteSpec,
  stores: Map<string, NonNullable<GatewaySpec["secretStores"]>[number]>,
  secrets: SecretSource,
  error: (message: string) => void,
): RouteAuth | undefined {
  const security = route.security ?? {};
  const mode = security.auth ?? "passthrough";
  const clientType = security.client?.authentication?.type;
  const clusterType = security.cluster?.authentication?.type;
  if (security.client?.tls?.secretRef) error("client TLS (and mTLS) is not supported by the emulator");
  const jaasRef = security.cluster?.authentication?.jaasConfigPassThrough?.secretRef;
  if (jaasRef && !secrets.get(jaasRef)) error(`secretRef ${jaasRef} not found`);
  if (mode === "passthrough") return { mode: "passthrough" };
  if (mode !== "swap") {
    error(`security.auth ${mode} is not one of passthrough, swap`);
    return undefined;
  }
  if (clusterType && clusterType !== "plain") error(`cluster authentication ${clusterType} is not supported (only plain)`);
  const mechanisms: ClientMechanism[] | undefined =
    clientType === undefined ? ["SCRAM-SHA-512", "PLAIN"] : clientType === "scram" ? ["SCRAM-SHA-512"] : clientType === "plain" ? ["PLAIN"] : undefined;
  if (!mechanisms) error(`client authentication ${clientType} is not supported with auth swap (scram, plain)`);
  if (!security.secretStore) {
    error("security.secretStore is required with auth: swap");
    return undefined;
  }
  const store = stores.get(security.secretStore);
  if (!store) {
    error(`secretStore ${security.secretStore} is not declared in spec.secretStores`);
    return undefined;
  }
  const secretName = store.provider?.clientCredentialsRef ?? store.provider?.configSecretRef;
  const secret = secretName ? secrets.get(secretName) : undefined;
  if (!secretName || !secret) {
    error(`secretRef ${secretName ?? "(none)"} of secretStore ${store.name} not found`);
    return undefined;
  }
  let credentials: SecretStore;
  try {
    credentials = new SecretStore(secret);
  } catch (err) {
    error((err as Error).message);
    return undefined;
  }
  if (!mechanisms) return undefined;
  return { mode: "swap", mechanisms, credentials: (principal) => credentials.get(principal) };
}
