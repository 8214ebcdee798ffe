import * as net from "node:net";
import * as tls from "node:tls";
import { BrokerPorts } from "./brokerPorts";
import { formatHostPort, type HostPort, type RouteConfig, type RouteTarget, type RouteTls } from "./config";
import type { GatewayPod } from "./pod";
import type { AddressMapper } from "./rewrite";

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

/**
 * Stops listening. Connections already accepted belong to pods and outlive the listener (a pod drains them), so
 * this does not wait for them as `server.close`'s callback would; the port is free once `close` returns.
 */
function closeServer(server: net.Server): Promise<void> {
  server.close();
  return new Promise((resolve) => setImmediate(resolve));
}

/** The broker ports a route listens on, from its node id ranges (their names do not matter). */
function portLayout(c: RouteConfig): string {
  return c.nodeIdRanges.map((r) => `${r.start}-${r.end}`).join(",");
}

/** Same listeners, same broker-port layout, same TLS material: a change that hot-reloads without rebinding. */
export function sameListeners(a: RouteConfig, b: RouteConfig): boolean {
  return (
    formatHostPort(a.endpoint) === formatHostPort(b.endpoint) &&
    portLayout(a) === portLayout(b) &&
    JSON.stringify(a.tls ?? null) === JSON.stringify(b.tls ?? null)
  );
}

/**
 * One route's listeners: a bootstrap port plus one port per node id, shared by every pod of the Gateway as a
 * Kubernetes Service is. Each new connection goes to one pod in service (round robin), which serves it with
 * whatever config that pod has applied, so two pods of one Gateway can lead the same route's clients to
 * different places until both have reloaded.
 */
export class RouteListener {
  private readonly servers: net.Server[] = [];
  /** Upstream broker addresses learned from rewritten responses, per target domain. */
  private readonly upstreamNodes = new Map<string, Map<number, HostPort>>();
  private readonly ports: BrokerPorts;
  private stopped = false;

  private constructor(
    readonly config: RouteConfig,
    private readonly pick: (route: string) => GatewayPod | undefined,
    private readonly log: (message: string) => void,
  ) {
    this.ports = new BrokerPorts(config.endpoint.port, config.nodeIdRanges);
  }

  get name(): string {
    return this.config.name;
  }

  static async start(
    config: RouteConfig,
    pick: (route: string) => GatewayPod | undefined,
    log: (message: string) => void,
  ): Promise<RouteListener> {
    const listener = new RouteListener(config, pick, log);
    try {
      const { host, port } = config.endpoint;
      const server = (nodeId: number | undefined): net.Server =>
        createServer(
          config.tls,
          (s) => listener.accept(s, nodeId),
          (m) => log(`route ${config.name}: ${m}`),
        );
      listener.servers.push(await listen(server(undefined), host, port));
      for (const broker of listener.ports.all()) {
        listener.servers.push(await listen(server(broker.nodeId), host, broker.port));
      }
    } catch (err) {
      await listener.stop();
      throw new Error(
        `route ${config.name}: cannot listen on ${formatHostPort(config.endpoint)} and its broker ports: ${(err as Error).message}`,
      );
    }
    return listener;
  }

  /** Where broker `nodeId` is served. */
  brokerAddress(nodeId: number): HostPort | undefined {
    const port = this.ports.portOf(nodeId);
    return port === undefined ? undefined : { host: this.config.endpoint.host, port };
  }

  /** Stops listening; connections already accepted stay with their pods. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.servers.map(closeServer));
    this.servers.length = 0;
  }

  upstreamAddress(target: RouteTarget, nodeId: number | undefined): HostPort {
    if (nodeId === undefined) return target.bootstrap;
    // Before any metadata from this target names node N, its bootstrap is the best guess (right for one node).
    return this.upstreamNodes.get(target.domain)?.get(nodeId) ?? target.bootstrap;
  }

  mapper(target: RouteTarget): AddressMapper {
    return (nodeId, upstream) => {
      let nodes = this.upstreamNodes.get(target.domain);
      if (!nodes) this.upstreamNodes.set(target.domain, (nodes = new Map()));
      nodes.set(nodeId, upstream);
      const mapped = this.brokerAddress(nodeId);
      if (!mapped) this.log(`route ${this.name}: node ${nodeId} is outside nodeIdRanges; not advertised`);
      return mapped;
    };
  }

  private accept(socket: net.Socket, nodeId: number | undefined): void {
    const pod = this.stopped ? undefined : this.pick(this.name);
    // No pod in service behind the Service: the connection is refused, as kube-proxy would.
    if (!pod) {
      socket.destroy();
      return;
    }
    pod.accept(this, socket, nodeId);
  }
}
