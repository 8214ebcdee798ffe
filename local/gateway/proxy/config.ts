import type { ScramCredential, ScramMechanism } from "../auth/credentials";
import type { PlainLogin } from "../auth/jaas";
import type { ScramAlterResult, ScramDeletion, ScramUpsertion } from "../auth/scramVerifiers";

export interface HostPort {
  host: string;
  port: number;
}

export interface NodeIdRange {
  name?: string;
  start: number;
  end: number;
}

/** The cluster a route leads to (a streaming domain's bootstrap server). */
export interface RouteTarget {
  /** Streaming domain name: routes switch by changing it. */
  domain: string;
  bootstrap: HostPort;
}

export type ClientMechanism = "PLAIN" | ScramMechanism;

/** An upstream SASL/OAUTHBEARER login: a token of the principal's OAuth client, and the SASL extensions. */
export interface OAuthBearerLogin {
  oauthClient: string;
  extensions: Record<string, string>;
  /** The client's current token (cached, refreshed before it expires); rejects with why none can be had. */
  token(): Promise<string>;
}

/** How the gateway signs in upstream for a principal: SASL/PLAIN or SASL/OAUTHBEARER. */
export type UpstreamLogin = PlainLogin | OAuthBearerLogin;

/** How a swap route authenticates its clients and whom it signs in upstream as (see auth/swap.ts). */
export interface SwapAuth {
  mode: "swap";
  /** Mechanisms the gateway offers to clients, in SaslHandshake order (none on an mTLS route). */
  mechanisms: ClientMechanism[];
  /**
   * mTLS in (`client.authentication.type: mtls`): the principal of a verified client certificate's subject
   * (RFC 2253 DN), through the route's principal mapping rules. Throws when no rule applies.
   */
  certificatePrincipal?(subject: string): string;
  /** A client's SASL/PLAIN login: true when accepted. */
  plain(username: string, password: string): boolean;
  /** The verifier a SCRAM login of `username` is checked against, if any. */
  scram(mechanism: ScramMechanism, username: string): ScramCredential | undefined;
  /** The upstream login for an authenticated principal; a reason string when it has none. */
  cluster(principal: string): UpstreamLogin | string;
  /** Present when the route registers SCRAM credentials (`client.authentication.scram.alterScramCredentials: true`). */
  registrar?: { alter(deletions: ScramDeletion[], upsertions: ScramUpsertion[]): Promise<ScramAlterResult[]> };
}

export type RouteAuth = { mode: "passthrough" } | SwapAuth;

export interface RouteFence {
  errorCode: number;
}

/** The client leg's TLS (`security.client.tls`): the gateway's certificate and, for mTLS, the CA clients must chain to. */
export interface RouteTls {
  /** PEM: the gateway's certificate chain and key. */
  cert: string;
  key: string;
  /** PEM: the CAs a client certificate must be signed by. */
  ca: string;
  /** mTLS: a client without a certificate signed by `ca` fails the handshake. */
  requireClientCertificate: boolean;
}

/** Everything the data plane needs to serve one route; the operator derives it from the Gateway CR. */
export interface RouteConfig {
  name: string;
  endpoint: HostPort;
  /** Present: the bootstrap and broker listeners speak TLS. */
  tls?: RouteTls;
  nodeIdRanges: NodeIdRange[];
  target: RouteTarget;
  auth: RouteAuth;
  fence?: RouteFence;
}

export function formatHostPort(a: HostPort): string {
  return `${a.host}:${a.port}`;
}

export function parseHostPort(text: string): HostPort {
  const withoutScheme = text.replace(/^[A-Za-z_]+:\/\//, "");
  const at = withoutScheme.lastIndexOf(":");
  const port = Number(withoutScheme.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`not host:port: ${JSON.stringify(text)}`);
  return { host: withoutScheme.slice(0, at), port };
}
