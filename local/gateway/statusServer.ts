import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewaySummary, ServedRoute } from "./kubernetes/controller";
import type { GatewayFaults } from "./proxy/gateway";

/** What `GET /status` on the daemon answers. */
export interface GatewayDaemonStatus {
  pid: number;
  namespace: string;
  kubeconfig: string;
  /** Gateways and Secrets have been listed at least once. */
  synced: boolean;
  gateways: GatewaySummary[];
  /** Route name → how it is served now. */
  routes: Record<string, ServedRoute>;
}

export interface StatusServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A loopback HTTP endpoint: `/healthz` (liveness, with the pid so a recycled port is not mistaken for us),
 * `/status`, and `POST /faults` (a GatewayFaults body: fault knobs for tests, e.g. one pod reloading late).
 */
export async function startStatusServer(
  status: () => GatewayDaemonStatus,
  port = 0,
  setFaults: (faults: GatewayFaults) => void = () => undefined,
): Promise<StatusServer> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const reply = (code: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method === "POST" && path === "/faults") {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        try {
          const faults = JSON.parse(body || "{}") as GatewayFaults;
          setFaults(faults);
          reply(200, { faults });
        } catch (err) {
          reply(400, { error: (err as Error).message });
        }
      });
      return;
    }
    if (req.method !== "GET") reply(405, { error: "only GET, and POST /faults" });
    else if (path === "/healthz") reply(200, { ok: true, pid: process.pid });
    else if (path === "/status") reply(200, status());
    else reply(404, { error: `no ${path}; try /healthz or /status` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
