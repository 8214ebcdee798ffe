import * as net from "node:net";
import * as tls from "node:tls";
import type { Protocol } from "../protocol/protocol";
import { BrokerPorts } from "./brokerPorts";
import { formatHostPort, type HostPort, type RouteConfig, type RouteTarget, type RouteTls } from "./config";
import { ClientConnection, type ConnectionContext } from "./connection";
import type { AddressMapper } from "./rewrite";

export interface RouteOptions {
  protocol: Protocol;
  fenceHoldMs: number;
  log: (message: string) => void;
}

/**
 * A plaintext listener, or a TLS one whose connections are handed over only once the handshake is done. With
 * mTLS a client certificate that does not chain to the route's CA fails the handshake itself, as on a broker
 * with `ssl.client.auth=required`.
 */
function createServer(
  routeTls: RouteTls | undefined,
  onConnection: (socket: net.Socket) => void,
  log: (message: string) => void,
): net.Server {
  if (!routeTls) return net.createServer(onConnection);
  const server = tls.createServer(
    {
      cert: routeTls.cert,
      key: routeTls.key,
      ca: routeTls.ca,
      requestCert: routeTls.requireClientCertificate,
      rejectUnauthorized: routeTls.requireClientCertificate,
    },
    onConnection,
  );
  server.on("tlsClientError", (err: Error, socket: tls.TLSSocket) => {
    // Node drops a client whose certificate does not verify without an alert; say why here.
    const why = socket.authorizationError ? ` (client certificate: ${String(socket.authorizationError)})` : "";
    log(`TLS handshake failed: ${err.message.trim()}${why}`);
  });
  return server;
}

function listen(server: net.Server, host: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Same listeners, same broker-port layout, same TLS material: a change that hot-reloads without rebinding. */
export function sameListeners(a: RouteConfig, b: RouteConfig): boolean {
  return (
    formatHostPort(a.endpoint) === formatHostPort(b.endpoint) &&
    JSON.stringify(a.nodeIdRanges) === JSON.stringify(b.nodeIdRanges) &&
    JSON.stringify(a.tls ?? null) === JSON.stringify(b.tls ?? null)
  );
}

function sameTarget(a: RouteTarget, b: RouteTarget): boolean {
  return a.domain === b.domain && formatHostPort(a.bootstrap) === formatHostPort(b.bootstrap);
}

// Credentials may be rotated without dropping clients; a different auth mode or mechanism list may not.
function authShape(c: RouteConfig): string {
  return c.auth.mode === "swap"
    ? `swap:${c.auth.mechanisms.join(",")}${c.auth.registrar ? ":registration" : ""}${c.auth.certificatePrincipal ? ":mtls" : ""}`
    : "passthrough";
}

/**
 * One route: a bootstrap listener plus one listener per node id, all leading to the route's single current
 * target. Switching the target closes every open connection in the same tick that sets the new target,
 * so no connection accepted after the switch reaches the old cluster and none from before survives it.
 */
export class Route {
  private readonly servers: net.Server[] = [];
  private readonly connections = new Set<ClientConnection>();
  /** Upstream broker addresses learned from rewritten responses, per target domain. */
  private readonly upstreamNodes = new Map<string, Map<number, HostPort>>();
  private readonly ports: BrokerPorts;
  private stopped = false;

  private constructor(
    private current: RouteConfig,
    private readonly opts: RouteOptions,
  ) {
    this.ports = new BrokerPorts(current.endpoint.port, current.nodeIdRanges);
  }

  static async start(config: RouteConfig, opts: RouteOptions): Promise<Route> {
    const route = new Route(config, opts);
    try {
      const { host, port } = config.endpoint;
      const server = (nodeId: number | undefined): net.Server =>
        createServer(
          config.tls,
          (s) => route.accept(s, nodeId),
          (m) => opts.log(`route ${config.name}: ${m}`),
        );
      route.servers.push(await listen(server(undefined), host, port));
      for (const broker of route.ports.all()) {
        route.servers.push(await listen(server(broker.nodeId), host, broker.port));
      }
    } catch (err) {
      await route.stop();
      throw new Error(
        `route ${config.name}: cannot listen on ${formatHostPort(config.endpoint)} and its broker ports: ${(err as Error).message}`,
      );
    }
    return route;
  }

  get config(): RouteConfig {
    return this.current;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /** Where broker `nodeId` of the current target is served. */
  brokerAddress(nodeId: number): HostPort | undefined {
    const port = this.ports.portOf(nodeId);
    return port === undefined ? undefined : { host: this.current.endpoint.host, port };
  }

  /** Applies a config with the same listeners: target, auth and fence changes take effect at once. */
  update(next: RouteConfig): void {
    if (!sameListeners(this.current, next)) throw new Error(`route ${next.name}: listener change needs a restart`);
    const previous = this.current;
    this.current = next;
    const reconnect = !sameTarget(previous.target, next.target) || authShape(previous) !== authShape(next);
    if (reconnect) {
      for (const c of [...this.connections]) c.close();
      return;
    }
    if (previous.fence && !next.fence) for (const c of this.connections) c.releaseHeld();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const c of [...this.connections]) c.close();
    await Promise.all(this.servers.map(closeServer));
    this.servers.length = 0;
  }

  private accept(socket: net.Socket, nodeId: number | undefined): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    this.connections.add(new ClientConnection(socket, this.context(), nodeId));
  }

  private context(): ConnectionContext {
    return {
      protocol: this.opts.protocol,
      config: () => this.current,
      fenceHoldMs: this.opts.fenceHoldMs,
      log: this.opts.log,
      onClose: (c) => this.connections.delete(c),
      addressMapper: (target) => this.mapper(target),
      upstreamAddress: (target, nodeId) => {
        if (nodeId === undefined) return target.bootstrap;
        // Before any metadata from this target names node N, its bootstrap is the best guess (right for one node).
        return this.upstreamNodes.get(target.domain)?.get(nodeId) ?? target.bootstrap;
      },
    };
  }

  private mapper(target: RouteTarget): AddressMapper {
    return (nodeId, upstream) => {
      let nodes = this.upstreamNodes.get(target.domain);
      if (!nodes) this.upstreamNodes.set(target.domain, (nodes = new Map()));
      nodes.set(nodeId, upstream);
      const mapped = this.brokerAddress(nodeId);
      if (!mapped) this.opts.log(`route ${this.current.name}: node ${nodeId} is outside nodeIdRanges; not advertised`);
      return mapped;
    };
  }
}
