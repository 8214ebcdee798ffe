import { OAuthJaasTemplate, PlainJaasTemplate } from "../auth/jaas";
import { OAUTH_ALLOWED_URLS_PROPERTY, OAuthTokenCache, systemProperties } from "../auth/oauthTokens";
import { parsePrincipalMappingRules, type MappingRule } from "../auth/principalMapping";
import { ScramVerifierStore, verifiersSecretName } from "../auth/scramVerifiers";
import { FileSecretStore, secretValues, type SecretObject } from "../auth/secretStore";
import { swapAuth, type ClientAuthType, type ClusterSide } from "../auth/swap";
import { readTlsSecret } from "../auth/tlsSecret";
import { errorCodeOf } from "../protocol/apiKeys";
import { parseHostPort, type RouteAuth, type RouteConfig, type RouteTls } from "../proxy/config";
import type { SecretSource } from "./sources";
import type { GatewaySpec, RouteSpec } from "./types";

export type Resolution = { ok: true; routes: RouteConfig[] } | { ok: false; errors: string[] };

const DEFAULT_NODE_ID_RANGES = [{ name: "default", start: 0, end: 3 }];

/** The key of the `jaasConfigPassThrough` Secret that holds the cluster-side JAAS template. */
export const PLAIN_JAAS_KEY = "plain-jaas.conf";
/**
 * The keys an oauth cluster side's Secret may hold its template under: the confluent-kubernetes examples say
 * `oauth-jaas.conf`, KCP's guides `oauth-jass.conf`; which one the operator reads is not documented, so either.
 */
export const OAUTH_JAAS_KEYS = ["oauth-jaas.conf", "oauth-jass.conf"] as const;

/** Tokens outlive a reconcile (a new CR generation does not make the gateway fetch new ones). */
const sharedTokens = new OAuthTokenCache();

/** What every route of one Gateway shares: its pods' JVM options (`podTemplate.envVars` GATEWAY_OPTS). */
interface GatewayContext {
  allowedUrls: string | undefined;
  tokens: OAuthTokenCache;
}

export interface ResolveOptions {
  /**
   * The SCRAM verifier store of a client-credentials Secret. The operator keeps one per Secret across
   * reconciles; by default a new one is loaded from `<ref>-scram-verifiers` and written back through `secrets.write`.
   */
  verifiers?(clientCredentialsRef: string): ScramVerifierStore;
  /** OAUTHBEARER out: the token cache (the operator keeps one, logging fetches and failures). */
  tokens?: OAuthTokenCache;
}

/** A verifier store of `clientCredentialsRef`, loaded from and written back to its Secret through `secrets`. */
export function loadVerifierStore(
  secrets: SecretSource,
  clientCredentialsRef: string,
  log: (message: string) => void = () => undefined,
): ScramVerifierStore {
  const name = verifiersSecretName(clientCredentialsRef);
  let initial;
  try {
    initial = secrets.get(name);
    if (initial) ScramVerifierStore.decode(initial);
  } catch (err) {
    log(`secret ${name}: unreadable SCRAM verifiers (${(err as Error).message}); starting empty`);
    initial = undefined;
  }
  const persist = secrets.write?.bind(secrets);
  if (!persist) log(`secret ${name}: the secret source cannot write; SCRAM verifiers live in memory only`);
  return new ScramVerifierStore(name, initial, persist);
}

/**
 * Validates a Gateway spec against the secrets it references and turns it into data-plane route configs.
 * Every problem is collected, so one status message lists all of them.
 */
export function resolveGatewaySpec(spec: GatewaySpec, secrets: SecretSource, opts: ResolveOptions = {}): Resolution {
  const verifiers = opts.verifiers?.bind(opts) ?? cachedVerifiers(secrets);
  const errors: string[] = [];
  const routes: RouteConfig[] = [];
  const domains = new Map((spec.streamingDomains ?? []).map((d) => [d.name, d]));
  const stores = new Map((spec.secretStores ?? []).map((s) => [s.name, s]));
  const seen = new Set<string>();
  const gatewayOpts = spec.podTemplate?.envVars?.find((v) => v.name === "GATEWAY_OPTS")?.value;
  const context: GatewayContext = {
    allowedUrls: systemProperties(gatewayOpts).get(OAUTH_ALLOWED_URLS_PROPERTY),
    tokens: opts.tokens ?? sharedTokens,
  };
  for (const route of spec.routes ?? []) {
    const where = `route ${route.name}`;
    if (seen.has(route.name)) errors.push(`${where}: duplicate route name`);
    seen.add(route.name);
    const before = errors.length;
    const config = resolveRoute(route, domains, stores, secrets, verifiers, context, (m) =>
      errors.push(`${where}: ${m}`),
    );
    if (config && errors.length === before) routes.push(config);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, routes };
}

/** One store per Secret for the routes of one resolution (so they share registrations). */
function cachedVerifiers(secrets: SecretSource): (ref: string) => ScramVerifierStore {
  const stores = new Map<string, ScramVerifierStore>();
  return (ref) => {
    let store = stores.get(ref);
    if (!store) stores.set(ref, (store = loadVerifierStore(secrets, ref)));
    return store;
  };
}

function resolveRoute(
  route: RouteSpec,
  domains: Map<string, NonNullable<GatewaySpec["streamingDomains"]>[number]>,
  stores: Map<string, NonNullable<GatewaySpec["secretStores"]>[number]>,
  secrets: SecretSource,
  verifiers: (clientCredentialsRef: string) => ScramVerifierStore,
  context: GatewayContext,
  error: (message: string) => void,
): RouteConfig | undefined {
  let endpoint;
  try {
    endpoint = parseHostPort(route.endpoint);
  } catch (err) {
    error(`endpoint: ${(err as Error).message}`);
  }
  const strategy = route.brokerIdentificationStrategy?.type ?? "port";
  if (strategy !== "port")
    error(`brokerIdentificationStrategy ${strategy} is not supported by the emulator (only port)`);
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
  const auth = resolveAuth(route, stores, secrets, verifiers, context, error);
  const tls = resolveClientTls(route, secrets, error);
  let fence;
  if (route.fence) {
    if ((route.fence.scope ?? "ALL") !== "ALL") error(`fence.scope ${route.fence.scope} is not supported (only ALL)`);
    try {
      fence = { errorCode: errorCodeOf(route.fence.errorCode ?? "BROKER_NOT_AVAILABLE") };
    } catch (err) {
      error(`fence.errorCode: ${(err as Error).message}`);
    }
  }
  if (!endpoint || !bootstrap || !auth || !domainName || tls === null) return undefined;
  return {
    name: route.name,
    endpoint,
    ...(tls ? { tls } : {}),
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
  verifiers: (clientCredentialsRef: string) => ScramVerifierStore,
  context: GatewayContext,
  error: (message: string) => void,
): RouteAuth | undefined {
  const security = route.security ?? {};
  const mode = security.auth ?? "passthrough";
  const clientAuth = security.client?.authentication;
  const clusterAuth = security.cluster?.authentication;
  const jaasRef = clusterAuth?.jaasConfigPassThrough?.secretRef;
  const jaasSecret = jaasRef ? secrets.get(jaasRef) : undefined;
  if (jaasRef && !jaasSecret) error(`secretRef ${jaasRef} not found`);
  if (mode === "passthrough") {
    // Passing mTLS through would need the client's own key upstream; the gateway never has it.
    if (clientAuth?.type === "mtls") error("client authentication mtls needs auth: swap in the emulator");
    return { mode: "passthrough" };
  }
  if (mode !== "swap") {
    error(`security.auth ${mode} is not one of passthrough, swap`);
    return undefined;
  }
  const clientType = clientAuth?.type;
  const supported = clientType === undefined || isClientAuthType(clientType);
  if (!supported) error(`client authentication ${clientType} is not supported with auth swap (scram, plain, mtls)`);
  const rules = clientType === "mtls" ? resolveMappingRules(clientAuth?.mtls?.principalMappingRules, error) : undefined;
  const clusterType = clusterAuth?.type ?? "plain";
  if (clusterType !== "plain" && clusterType !== "oauth")
    error(`cluster authentication ${clusterType} is not supported (plain, oauth)`);
  if (!jaasRef) error("cluster.authentication.jaasConfigPassThrough.secretRef is required with auth: swap");
  let cluster: ClusterSide | undefined;
  if (jaasRef && jaasSecret && clusterType === "plain") {
    const text = secretValues(jaasSecret)[PLAIN_JAAS_KEY];
    if (text === undefined) error(`secret ${jaasRef} has no key ${PLAIN_JAAS_KEY}`);
    else {
      try {
        cluster = { type: "plain", jaas: PlainJaasTemplate.parse(text) };
      } catch (err) {
        error(`secret ${jaasRef} ${PLAIN_JAAS_KEY} ${(err as Error).message}`);
      }
    }
  }
  if (clusterType === "oauth") cluster = resolveOAuth(clusterAuth, jaasRef, jaasSecret, context, error);
  const store = resolveStore(security.secretStore, stores, secrets, error);
  if (!store || !cluster || !supported || (clientType === "mtls" && !rules)) return undefined;
  const registration = clientType === "scram" && clientAuth?.scram?.alterScramCredentials === true;
  return swapAuth({
    client: clientType as ClientAuthType | undefined,
    credentials: store,
    verifiers: verifiers(store.clientCredentialsSecret),
    cluster,
    registration,
    ...(rules ? { principalMappingRules: rules } : {}),
  });
}

/**
 * `cluster.authentication.type: oauth`: the OAuth template from the `jaasConfigPassThrough` Secret and the token
 * endpoint from `oauthSettings`. Whether the JVM may call that endpoint is checked at each login, as Kafka's login
 * module does when it is configured, not here: the operator does not read GATEWAY_OPTS.
 */
function resolveOAuth(
  clusterAuth: NonNullable<NonNullable<RouteSpec["security"]>["cluster"]>["authentication"],
  jaasRef: string | undefined,
  jaasSecret: SecretObject | undefined,
  context: GatewayContext,
  error: (message: string) => void,
): ClusterSide | undefined {
  let jaas: OAuthJaasTemplate | undefined;
  if (jaasRef && jaasSecret) {
    const values = secretValues(jaasSecret);
    const key = OAUTH_JAAS_KEYS.find((k) => values[k] !== undefined);
    if (!key) error(`secret ${jaasRef} has no key ${OAUTH_JAAS_KEYS.join(" or ")}`);
    else {
      try {
        jaas = OAuthJaasTemplate.parse(values[key]);
      } catch (err) {
        error(`secret ${jaasRef} ${key} ${(err as Error).message}`);
      }
    }
  }
  const endpoint = clusterAuth?.oauthSettings?.tokenEndpointUri;
  let tokenEndpoint: string | undefined;
  if (!endpoint) error("cluster.authentication.oauthSettings.tokenEndpointUri is required with type oauth");
  else {
    let protocol: string | undefined;
    try {
      protocol = new URL(endpoint).protocol;
    } catch {
      error(`cluster.authentication.oauthSettings.tokenEndpointUri ${endpoint} is not a URL`);
    }
    if (protocol === "http:" || protocol === "https:") tokenEndpoint = endpoint;
    else if (protocol)
      error(`cluster.authentication.oauthSettings.tokenEndpointUri ${endpoint}: only http and https are supported`);
  }
  if (!jaas || !tokenEndpoint) return undefined;
  return { type: "oauth", jaas, tokenEndpoint, allowedUrls: context.allowedUrls, tokens: context.tokens };
}

function isClientAuthType(type: string): type is ClientAuthType {
  return type === "scram" || type === "plain" || type === "mtls";
}

function resolveMappingRules(rules: string[] | undefined, error: (message: string) => void): MappingRule[] | undefined {
  try {
    return parsePrincipalMappingRules(rules);
  } catch (err) {
    error(`client.authentication.mtls.principalMappingRules: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * The client leg's TLS from `security.client.tls.secretRef`: undefined for a plaintext listener, null when
 * the route cannot be served (each reason reported through `error`). mTLS needs it: the CA that signs client
 * certificates is that Secret's `cacerts.pem`.
 */
function resolveClientTls(
  route: RouteSpec,
  secrets: SecretSource,
  error: (message: string) => void,
): RouteTls | undefined | null {
  const client = route.security?.client;
  const ref = client?.tls?.secretRef;
  const mtls = client?.authentication?.type === "mtls";
  if (mtls) {
    const required = client?.authentication?.mtls?.sslClientAuthentication ?? "required";
    if (required !== "required")
      error(
        `client.authentication.mtls.sslClientAuthentication ${required} is not supported by the emulator (only required)`,
      );
    if (!ref) {
      error(
        "client.tls.secretRef is required with client authentication mtls (the gateway's certificate and the client CA)",
      );
      return null;
    }
  }
  if (!ref) return undefined;
  const secret = secrets.get(ref);
  if (!secret) {
    error(`secretRef ${ref} not found`);
    return null;
  }
  try {
    return { ...readTlsSecret(secret), requireClientCertificate: mtls };
  } catch (err) {
    error(`secret ${ref} ${(err as Error).message}`);
    return null;
  }
}

function resolveStore(
  name: string | undefined,
  stores: Map<string, NonNullable<GatewaySpec["secretStores"]>[number]>,
  secrets: SecretSource,
  error: (message: string) => void,
): FileSecretStore | undefined {
  if (!name) {
    error("security.secretStore is required with auth: swap");
    return undefined;
  }
  const store = stores.get(name);
  if (!store) {
    error(`secretStore ${name} is not declared in spec.secretStores`);
    return undefined;
  }
  const type = store.provider?.type ?? "File";
  if (type.toLowerCase() !== "file") {
    error(`secretStore ${name}: provider type ${type} is not supported by the emulator (only File)`);
    return undefined;
  }
  const configRef = store.provider?.configSecretRef;
  const credentialsRef = store.provider?.clientCredentialsRef;
  const config = configRef ? secrets.get(configRef) : undefined;
  const credentials = credentialsRef ? secrets.get(credentialsRef) : undefined;
  if (configRef && !config) error(`secretRef ${configRef} of secretStore ${name} not found`);
  if (!credentialsRef) error(`secretStore ${name}: provider.clientCredentialsRef is required with type File`);
  else if (!credentials) error(`secretRef ${credentialsRef} of secretStore ${name} not found`);
  if ((configRef && !config) || !credentials) return undefined;
  try {
    return FileSecretStore.read(name, config, credentials);
  } catch (err) {
    error(`secretStore ${name}: ${(err as Error).message}`);
    return undefined;
  }
}
