import type { PrincipalCredentials } from "../auth/credentials";

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

export type ClientMechanism = "PLAIN" | "SCRAM-SHA-512";

export type RouteAuth =
  | { mode: "passthrough" }
  | {
      mode: "swap";
      /** Mechanisms the gateway offers to clients. */
      mechanisms: ClientMechanism[];
      credentials: (principal: string) => PrincipalCredentials | undefined;
    };

export interface RouteFence {
  errorCode: number;
}

/** Everything the data plane needs to serve one route; the operator derives it from the Gateway CR. */
export interface RouteConfig {
  name: string;
  endpoint: HostPort;
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
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`not host:port: ${JSON.stringify(text)}`);
  return { host: withoutScheme.slice(0, at), port };
}
