// The emulator's HTTP front: Basic auth by destination API key, the error envelope, test-only faults,
// and routing of /kafka/v3/clusters/{id}/links… to the service.
import { timingSafeEqual } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import type { Exchange } from "./api/conformance";
import type { DestinationAccess } from "./connections";
import { RestError } from "./errors";
import { FaultInjector } from "./faults";
import type { LinkRuntime } from "./link";
import { Routes } from "./routes";
import { ClusterLinkService } from "./service";
import { LinkStore } from "./store";

export const DEFAULT_CLUSTER_ID = "lkc-local01";

export interface SourceAccess {
  bootstrap: string;
}

export interface ClusterLinkEmulatorOptions {
  /** Link definitions persist under `<stateDir>/clusterlink/`; without it they live in memory only. */
  stateDir?: string;
  port?: number;
  clusterId?: string;
  /** Informational (links carry their own source configs); kept for endpoints.json. */
  source?: SourceAccess;
  destination: DestinationAccess & {
    /** Directory of `<key>` files holding secrets (the destination broker's API keys); those keys work here too. */
    apiKeysDir?: string;
  };
  /** How often PENDING_STOPPED mirrors are re-checked (default 250 ms). */
  promoteCheckMs?: number;
  /** How often each link probes its source (default 5 s). */
  healthCheckMs?: number;
  /**
   * How often the reported `mirror_lags` are refreshed (default 2 s, README "Mirror lags"); 0 makes them exact
   * on every read, for tests that need exact figures.
   */
  mirrorLagRefreshMs?: number;
  /** Test hook: every request and the answer it got, as on the wire (the contract test checks them). */
  onExchange?: (exchange: Exchange) => void;
}

export interface ClusterLinkEmulator {
  url: string;
  clusterId: string;
  /** Test hooks: failures injected here never come from product code paths. */
  faults: FaultInjector;
  /** Accept another API key (e.g. one created with createApiKey); `authorized: false` gives 403/40301. */
  addApiKey(key: string, secret: string, opts?: { authorized?: boolean }): void;
  /** In-process access to a link (last offset sync time, copied record counts). */
  link(name: string): LinkRuntime | undefined;
  stop(): Promise<void>;
}

export function clusterLinkDir(stateDir: string): string {
  return path.join(stateDir, "clusterlink");
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Per response, who wants to know what it answered (the onExchange hook). */
const answered = new WeakMap<http.ServerResponse, (status: number, body: unknown) => void>();

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parsedOrRaw(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  answered.get(res)?.(status, body);
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) }).end(text);
}

function sendError(res: http.ServerResponse, err: RestError): void {
  sendJson(res, err.status, { error_code: err.errorCode, message: err.message });
}

const rateLimitedPage =
  "<html>\n<head><title>429 Too Many Requests</title></head>\n<body><h2>HTTP ERROR 429 Too Many Requests</h2></body>\n</html>\n";

export async function startClusterLinkEmulator(opts: ClusterLinkEmulatorOptions): Promise<ClusterLinkEmulator> {
  const clusterId = opts.clusterId ?? DEFAULT_CLUSTER_ID;
  const store = new LinkStore(opts.stateDir ? path.join(clusterLinkDir(opts.stateDir), "links.json") : undefined);
  const service = new ClusterLinkService({
    destination: opts.destination,
    store,
    ...(opts.promoteCheckMs ? { promoteCheckMs: opts.promoteCheckMs } : {}),
    ...(opts.healthCheckMs ? { healthCheckMs: opts.healthCheckMs } : {}),
    ...(opts.mirrorLagRefreshMs !== undefined ? { mirrorLagRefreshMs: opts.mirrorLagRefreshMs } : {}),
  });
  await service.start();
  const faults = new FaultInjector();
  const keys = new Map<string, { secret: string; authorized: boolean }>([
    [opts.destination.apiKey, { secret: opts.destination.apiSecret, authorized: true }],
  ]);
  let baseUrl = "";
  const routes = new Routes(service, clusterId, () => baseUrl, faults);

  const lookupKey = (key: string): { secret: string; authorized: boolean } | undefined => {
    const known = keys.get(key);
    if (known) return known;
    if (!opts.destination.apiKeysDir || !/^[A-Za-z0-9_-]+$/.test(key)) return undefined;
    try {
      return { secret: fs.readFileSync(path.join(opts.destination.apiKeysDir, key), "utf8").trim(), authorized: true };
    } catch {
      return undefined;
    }
  };

  const authenticate = (header: string | undefined): void => {
    const match = /^Basic\s+(.+)$/i.exec(header ?? "");
    const decoded = match ? Buffer.from(match[1], "base64").toString("utf8") : "";
    const colon = decoded.indexOf(":");
    const entry = colon > 0 ? lookupKey(decoded.slice(0, colon)) : undefined;
    if (!entry || !sameSecret(entry.secret, decoded.slice(colon + 1)))
      throw new RestError(401, 40101, "Authentication failed");
    if (!entry.authorized) throw new RestError(403, 40301, "Request is not authorized");
  };

  // What each request carried, for the onExchange hook: read before anything can refuse it.
  const sent = new WeakMap<http.IncomingMessage, unknown>();
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const text = await readBody(req);
    sent.set(req, parsedOrRaw(text));
    authenticate(req.headers.authorization);
    const fault = faults.take(url.pathname);
    if (fault?.status === 429) {
      answered.get(res)?.(429, rateLimitedPage);
      res.writeHead(429, { "Content-Type": "text/html;charset=iso-8859-1" }).end(rateLimitedPage);
      return;
    }
    if (fault)
      throw new RestError(
        fault.status,
        fault.errorCode ?? 50003,
        "Injected failure (test hook): retriable Kafka error",
      );
    const prefix = "/kafka/v3/clusters/";
    if (!url.pathname.startsWith(prefix)) throw new RestError(404, 404, `No route for ${req.method} ${url.pathname}.`);
    const [id, collection, ...rest] = url.pathname.slice(prefix.length).split("/").map(decodeURIComponent);
    if (id !== clusterId) throw new RestError(404, 404, `Cluster '${id}' not found.`);
    if (collection !== "links") throw new RestError(404, 404, `No route for ${req.method} ${url.pathname}.`);
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : undefined;
    } catch {
      throw new RestError(400, 400, "The request body is not valid JSON.");
    }
    const segments = rest.filter((s, i) => s !== "" || i < rest.length - 1);
    const answer = await routes.handle({ method: req.method ?? "GET", segments, query: url.searchParams, body });
    sendJson(res, answer.status, answer.body);
  };

  const server = http.createServer((req, res) => {
    const hook = opts.onExchange;
    if (hook) {
      const url = new URL(req.url ?? "/", "http://localhost");
      answered.set(res, (status, responseBody) =>
        hook({
          method: req.method ?? "GET",
          path: url.pathname,
          query: url.searchParams,
          requestBody: sent.get(req),
          status,
          responseBody,
        }),
      );
    }
    handle(req, res).catch((err: unknown) => {
      if (err instanceof RestError) sendError(res, err);
      else sendError(res, new RestError(500, 50003, `Internal error: ${(err as Error).message}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    clusterId,
    faults,
    addApiKey: (key, secret, o = {}) => void keys.set(key, { secret, authorized: o.authorized ?? true }),
    link: (name) => service.links.get(name),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.stop();
    },
  };
}
