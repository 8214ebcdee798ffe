/**
 * The Gateway custom resource (Confluent for Kubernetes, `platform.confluent.io/v1beta1`) as plain data:
 * streaming domains for both clusters, one route per migration group, and what each route looks like on
 * either side of its cutover. Pure functions, shared by the Gateway component (what Pulumi declares) and
 * the cutover (what it applies while fencing and switching), so the two can never disagree.
 */
import type {
  BrokerAddress,
  GatewayConfig,
  KafkaErrorName,
  MigrationGroupConfig,
  NodeIdRange,
  SecurityProtocol,
} from "../config";

export const GATEWAY_API_VERSION = "platform.confluent.io/v1beta1";
export const GATEWAY_PLURAL = "gateways";
export const SOURCE_BOOTSTRAP_ID = "SOURCE";
export const DESTINATION_BOOTSTRAP_ID = "DESTINATION";
export const SCRAM_REGISTRATION_ROUTE = "scram-registration";
/** The JVM system property listing the token endpoints an OAUTHBEARER login may call. */
export const OAUTH_ALLOWED_URLS = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
/**
 * The Kafka error a fenced route answers with, unless a group sets `fence.errorCode`. Clients must treat it as
 * retriable and keep their place (see DESIGN.md, "The cutover"); the one place this default lives.
 */
export const DEFAULT_FENCE_ERROR_CODE = "COORDINATOR_NOT_AVAILABLE" satisfies KafkaErrorName;

/** A route's fence: every request on it answered with `errorCode`. */
export function fenceOf(errorCode: string = DEFAULT_FENCE_ERROR_CODE): { scope: string; errorCode: string } {
  return { scope: "ALL", errorCode };
}

export interface RouteSecurity {
  auth: "passthrough" | "swap";
  secretStore?: string;
  client?: { tls?: { secretRef: string }; authentication: Record<string, unknown> };
  cluster?: { authentication: Record<string, unknown> };
}

export interface RouteSpec {
  name: string;
  endpoint: string;
  brokerIdentificationStrategy: { type: "port" };
  streamingDomain: { name: string; bootstrapServerId: string };
  security: RouteSecurity;
  fence?: { scope: string; errorCode: string };
}

export interface StreamingDomainSpec {
  name: string;
  type: "kafka";
  kafkaCluster: {
    bootstrapServers: { id: string; endpoint: string }[];
    nodeIdRanges: { name: string; start: number; end: number }[];
  };
}

export interface GatewaySpec {
  replicas: number;
  hotReload: { enabled: boolean };
  podTemplate?: { envVars: { name: string; value: string }[] };
  secretStores?: { name: string; provider: { type: "File"; configSecretRef: string; clientCredentialsRef: string } }[];
  streamingDomains: StreamingDomainSpec[];
  routes: RouteSpec[];
}

/** The cluster endpoints the Gateway connects to. */
export interface GatewayClusters {
  readonly source: { readonly brokers: readonly BrokerAddress[]; readonly securityProtocol: SecurityProtocol };
  readonly destination: { readonly brokers: readonly BrokerAddress[]; readonly securityProtocol: SecurityProtocol };
}

/** Names of the Secrets the CR refers to; all derived from the Gateway's name. */
export function gatewaySecretNames(gatewayName: string) {
  return {
    storeConfig: `${gatewayName}-file-store-config`,
    swapCredentials: `${gatewayName}-swap-credentials`,
    plainJaas: `${gatewayName}-plain-jaas`,
    oauthJaas: `${gatewayName}-oauth-jaas`,
    /**
     * mTLS in: the Gateway's certificate and the CA its clients' certificates chain to (PEM keys fullchain.pem,
     * privkey.pem, cacerts.pem). Issued by the operator's own PKI, so created outside this program.
     */
    clientTls: `${gatewayName}-client-tls`,
  } as const;
}

export function secretStoreName(gatewayName: string): string {
  return `${gatewayName}-store`;
}

/** True when some route needs the secret store, i.e. swaps credentials. */
export function usesSwap(groups: readonly MigrationGroupConfig[]): boolean {
  return groups.some((g) => g.auth === "swap");
}

function domain(
  name: string,
  id: string,
  brokers: readonly BrokerAddress[],
  protocol: SecurityProtocol,
  ids: NodeIdRange,
): StreamingDomainSpec {
  // One bootstrap address suffices: the Gateway learns the other brokers from metadata.
  const first = brokers[0];
  return {
    name,
    type: "kafka",
    kafkaCluster: {
      bootstrapServers: [{ id, endpoint: `${protocol}://${first.host}:${first.port}` }],
      nodeIdRanges: [{ name: `${name}-brokers`, start: ids.start, end: ids.end }],
    },
  };
}

/** How a swap route authenticates clients and signs in to the destination. */
export function swapSecurity(gw: GatewayConfig, opts: { registration?: boolean } = {}): RouteSecurity {
  const names = gatewaySecretNames(gw.name);
  const client: Record<string, unknown> =
    gw.swap.clientAuthentication === "scram"
      ? { type: "scram", scram: { alterScramCredentials: opts.registration === true } }
      : gw.swap.clientAuthentication === "mtls"
        ? {
            type: "mtls",
            mtls: { principalMappingRules: [...gw.swap.principalMappingRules], sslClientAuthentication: "required" },
          }
        : { type: "plain" };
  const cluster: Record<string, unknown> =
    gw.swap.clusterAuthentication === "oauth"
      ? {
          type: "oauth",
          jaasConfigPassThrough: { secretRef: names.oauthJaas },
          oauthSettings: { tokenEndpointUri: gw.swap.tokenEndpointUri },
        }
      : { type: "plain", jaasConfigPassThrough: { secretRef: names.plainJaas } };
  return {
    auth: "swap",
    secretStore: secretStoreName(gw.name),
    client: {
      ...(gw.swap.clientAuthentication === "mtls" ? { tls: { secretRef: names.clientTls } } : {}),
      authentication: client,
    },
    cluster: { authentication: cluster },
  };
}

/**
 * A group's route on one side of its cutover. On the source, clients' own credentials pass through to
 * the cluster they were made for; on the destination, the group's configured auth applies.
 */
export function groupRoute(gw: GatewayConfig, group: MigrationGroupConfig, side: "source" | "destination"): RouteSpec {
  const onSource = side === "source";
  return {
    name: group.name,
    endpoint: `${group.endpoint.host}:${group.endpoint.port}`,
    brokerIdentificationStrategy: { type: "port" },
    streamingDomain: onSource
      ? { name: gw.sourceDomain, bootstrapServerId: SOURCE_BOOTSTRAP_ID }
      : { name: gw.destinationDomain, bootstrapServerId: DESTINATION_BOOTSTRAP_ID },
    security: onSource || group.auth === "passthrough" ? { auth: "passthrough" } : swapSecurity(gw),
  };
}

/** The route SCRAM clients register their credentials through before their group's cutover. */
export function registrationRoute(gw: GatewayConfig): RouteSpec | undefined {
  if (!gw.scramRegistrationEndpoint) return undefined;
  return {
    name: SCRAM_REGISTRATION_ROUTE,
    endpoint: `${gw.scramRegistrationEndpoint.host}:${gw.scramRegistrationEndpoint.port}`,
    brokerIdentificationStrategy: { type: "port" },
    streamingDomain: { name: gw.destinationDomain, bootstrapServerId: DESTINATION_BOOTSTRAP_ID },
    security: swapSecurity(gw, { registration: true }),
  };
}

/** What decides which side a group's declared route is on. */
export interface RouteEvidence {
  /** The group's route in the live Gateway CR; unset when the CR or the route does not exist (yet). */
  readonly live?: RouteSpec;
  /** The state the group's cutover resource recorded (`cut-over` once one finished). */
  readonly recorded?: string;
}

/**
 * The route Pulumi declares for a group: only the cutover moves a route between the clusters, so the side
 * follows what is live, never the config's `cutover` flag (an `up --target` on the CR then cannot switch a
 * route without fence and promotion). Fenced live (a cutover mid-flight): that route, untouched. Live on the
 * destination: the config's destination route, so edits apply and nothing moves it back. Live elsewhere: the
 * config's source route. No live route (a first deploy, a CR deleted): where the cutover recorded it left it.
 */
export function declaredRoute(gw: GatewayConfig, group: MigrationGroupConfig, evidence: RouteEvidence): RouteSpec {
  const { live } = evidence;
  if (live?.fence !== undefined) return live;
  const side = live !== undefined ? liveSide(gw, live) : evidence.recorded === "cut-over" ? "destination" : "source";
  return groupRoute(gw, group, side);
}

/**
 * Which cluster a live route leads to: by the domain's name, or, for a domain renamed in config since, by the
 * bootstrap server id our routes always carry. Anything else is refused: guessing could switch the route.
 */
function liveSide(gw: GatewayConfig, live: RouteSpec): "source" | "destination" {
  const { name, bootstrapServerId } = live.streamingDomain;
  if (name === gw.destinationDomain) return "destination";
  if (name === gw.sourceDomain) return "source";
  if (bootstrapServerId === DESTINATION_BOOTSTRAP_ID) return "destination";
  if (bootstrapServerId === SOURCE_BOOTSTRAP_ID) return "source";
  throw new Error(
    `route ${live.name} in the live Gateway CR leads to streaming domain ${name} (bootstrap server ${bootstrapServerId}), neither ${gw.sourceDomain} nor ${gw.destinationDomain}: point it at one of them by hand, then run pulumi up again`,
  );
}

/**
 * The declared spec: each group's route by `declaredRoute` from what `evidence` says of it (nothing: the
 * source). After a finished cutover the live route is on the destination and the declared one is the
 * config's destination route, equal to what the cutover applied, so Pulumi's update changes nothing there.
 */
export function gatewaySpec(
  gw: GatewayConfig,
  clusters: GatewayClusters,
  groups: readonly MigrationGroupConfig[],
  evidence: Readonly<Record<string, RouteEvidence>> = {},
): GatewaySpec {
  const names = gatewaySecretNames(gw.name);
  const registration = usesSwap(groups) ? registrationRoute(gw) : undefined;
  const oauthOut = usesSwap(groups) && gw.swap.clusterAuthentication === "oauth";
  return {
    replicas: gw.replicas,
    hotReload: { enabled: gw.hotReload },
    // Kafka clients fetch OAuth tokens only from URLs this system property allows.
    ...(oauthOut
      ? {
          podTemplate: {
            envVars: [{ name: "GATEWAY_OPTS", value: `-D${OAUTH_ALLOWED_URLS}=${gw.swap.tokenEndpointUri ?? ""}` }],
          },
        }
      : {}),
    ...(usesSwap(groups)
      ? {
          secretStores: [
            {
              name: secretStoreName(gw.name),
              provider: {
                type: "File",
                configSecretRef: names.storeConfig,
                clientCredentialsRef: names.swapCredentials,
              },
            },
          ],
        }
      : {}),
    streamingDomains: [
      domain(
        gw.sourceDomain,
        SOURCE_BOOTSTRAP_ID,
        clusters.source.brokers,
        clusters.source.securityProtocol,
        gw.sourceNodeIds,
      ),
      domain(
        gw.destinationDomain,
        DESTINATION_BOOTSTRAP_ID,
        clusters.destination.brokers,
        clusters.destination.securityProtocol,
        gw.destinationNodeIds,
      ),
    ],
    routes: [
      ...groups.map((g) => declaredRoute(gw, g, evidence[g.name] ?? {})),
      ...(registration ? [registration] : []),
    ],
  };
}

/** `routes` with one route replaced (matched by name) and everything else exactly as it was. */
export function withRoute(routes: readonly RouteSpec[], route: RouteSpec): RouteSpec[] {
  return routes.map((r) => (r.name === route.name ? route : r));
}
