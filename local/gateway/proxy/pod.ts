import * as crypto from "node:crypto";
import * as http from "node:http";
import type * as net from "node:net";
import type { Protocol } from "../protocol/protocol";
import type { RouteConfig, RouteTarget } from "./config";
import { ClientConnection, type FenceResponse } from "./connection";
import type { RouteListener } from "./route";

/**
 * starting: created, not serving yet. ready: serves its config. terminating: takes no new connection but keeps
 * serving the ones it has, with the config it had, until it is gone (a pod roll's drain).
 */
export type PodPhase = "starting" | "ready" | "terminating" | "gone";

/** What a pod serves: every route of one Gateway config, and that config's `spec.configId`. */
export interface PodConfig {
  readonly routes: ReadonlyMap<string, RouteConfig>;
  readonly configId: string | null;
}

export interface PodEnvironment {
  protocol: Protocol;
  fence: FenceResponse;
  log(message: string): void;
}

function sameTarget(a: RouteTarget, b: RouteTarget): boolean {
  return a.domain === b.domain && a.bootstrap.host === b.bootstrap.host && a.bootstrap.port === b.bootstrap.port;
}

// Credentials may be rotated without dropping clients; a different auth mode or mechanism list may not.
function authShape(c: RouteConfig): string {
  return c.auth.mode === "swap"
    ? `swap:${c.auth.mechanisms.join(",")}${c.auth.registrar ? ":registration" : ""}${c.auth.certificatePrincipal ? ":mtls" : ""}`
    : "passthrough";
}

/**
 * One data-plane pod of a Gateway. It applies a config on its own (hot reload), so at any instant pods of one
 * Gateway may serve different configs; each answers `GET /config` on its own admin port with the configId it
 * serves, as the real Gateway does on :9180.
 */
export class GatewayPod {
  phase: PodPhase = "starting";
  /** In the Service's endpoints: new connections may be sent here (set once Kubernetes shows it Ready). */
  inService = false;
  private config: PodConfig = { routes: new Map(), configId: null };
  private appliedAt: string | null = null;
  private readonly connections = new Map<string, Set<ClientConnection>>();
  private admin: http.Server | undefined;
  private adminPort: number | undefined;

  constructor(
    readonly name: string,
    readonly uid: string,
    /** Which pod template (Deployment revision) this pod was created from. */
    readonly template: number,
    private readonly env: PodEnvironment,
  ) {}

  static newName(gateway: string, template: number): string {
    const hash = crypto.createHash("sha256").update(`${gateway}/${template}`).digest("hex").slice(0, 10);
    return `${gateway}-${hash}-${crypto.randomBytes(3).toString("hex").slice(0, 5)}`;
  }

  get configId(): string | null {
    return this.config.configId;
  }

  /** The port of this pod's admin endpoint (`GET /config`), once started. */
  get configPort(): number | undefined {
    return this.adminPort;
  }

  /** Whether this pod has applied exactly `config` (the object the data plane handed it). */
  serves(config: PodConfig): boolean {
    return this.config === config;
  }

  routeConfig(name: string): RouteConfig | undefined {
    return this.config.routes.get(name);
  }

  routeNames(): string[] {
    return [...this.config.routes.keys()];
  }

  openConnections(route?: string): number {
    if (route !== undefined) return this.connections.get(route)?.size ?? 0;
    let n = 0;
    for (const set of this.connections.values()) n += set.size;
    return n;
  }

  /** Starts the admin endpoint; the pod serves nothing until its first `apply`. */
  async startAdmin(): Promise<void> {
    const server = http.createServer((req, res) => {
      if (req.method === "GET" && (req.url === "/config" || req.url?.startsWith("/config?"))) {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ configId: this.config.configId, appliedAt: this.appliedAt }));
        return;
      }
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found\n");
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.admin = server;
    this.adminPort = (server.address() as net.AddressInfo).port;
  }

  /**
   * Serves `next` from now on. Per route: a new target or auth shape closes the route's connections (clients
   * reconnect and read the new target at accept); lifting a fence releases held requests; a route no longer
   * in the config loses its connections.
   */
  apply(next: PodConfig): void {
    if (this.phase === "gone") return;
    const previous = this.config;
    this.config = next;
    this.appliedAt = new Date().toISOString();
    for (const [name, connections] of this.connections) {
      const before = previous.routes.get(name);
      const after = next.routes.get(name);
      if (!after || !before || !sameTarget(before.target, after.target) || authShape(before) !== authShape(after)) {
        for (const c of [...connections]) c.close();
      } else if (before.fence && !after.fence) {
        for (const c of connections) c.releaseHeld();
      }
    }
  }

  accept(listener: RouteListener, socket: net.Socket, nodeId: number | undefined): void {
    const route = listener.name;
    if (this.phase === "gone" || !this.config.routes.has(route)) {
      socket.destroy();
      return;
    }
    let set = this.connections.get(route);
    if (!set) this.connections.set(route, (set = new Set()));
    const connections = set;
    // A route dropped from the config closes its connections; until then they read the last config they had.
    let last = this.config.routes.get(route) as RouteConfig;
    const connection = new ClientConnection(
      socket,
      {
        protocol: this.env.protocol,
        config: () => (last = this.config.routes.get(route) ?? last),
        fence: this.env.fence,
        log: this.env.log,
        onClose: (c) => connections.delete(c),
        addressMapper: (target) => listener.mapper(target),
        upstreamAddress: (target, node) => listener.upstreamAddress(target, node),
      },
      nodeId,
    );
    connections.add(connection);
  }

  /** Stops taking new connections; open ones keep being served with the config this pod has now. */
  terminate(): void {
    if (this.phase === "gone") return;
    this.phase = "terminating";
    this.inService = false;
  }

  /** Closes every connection and the admin endpoint. */
  async stop(): Promise<void> {
    this.phase = "gone";
    this.inService = false;
    for (const set of this.connections.values()) for (const c of [...set]) c.close();
    this.connections.clear();
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await new Promise<void>((resolve) => admin.close(() => resolve()));
  }
}
