/**
 * A minimal Cluster Linking REST v3 for provider unit tests: one destination cluster's links and mirrors in
 * memory, reachable through any number of endpoints (a public and a private one see the same links), every
 * request recorded. Answers only what the link and mirror providers' delete, read and update send.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Link, Mirror, MirrorStatus } from "../../../clients/clusterLinkRest";

export interface Recorded {
  readonly endpoint: string;
  readonly method: string;
  readonly path: string;
}

export class FakeClusterLinking {
  readonly links = new Map<string, { id: string; mirrors: Map<string, MirrorStatus> }>();
  readonly requests: Recorded[] = [];
  private readonly servers: http.Server[] = [];

  constructor(readonly clusterId: string) {}

  link(name: string, id: string, mirrors: Record<string, MirrorStatus> = {}): void {
    this.links.set(name, { id, mirrors: new Map(Object.entries(mirrors)) });
  }

  /** Starts one more endpoint onto the same cluster; resolves with its URL. */
  async endpoint(): Promise<string> {
    const server = http.createServer((req, res) => this.answer(url(server), req, res));
    this.servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    return url(server);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map((s) => {
        s.closeAllConnections();
        return new Promise<void>((resolve) => s.close(() => resolve()));
      }),
    );
  }

  /** `METHOD path` of every request, in order. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  private answer(endpoint: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      const path = (req.url ?? "").split("?")[0];
      const method = req.method ?? "";
      this.requests.push({ endpoint, method, path });
      const send = (status: number, body?: unknown) =>
        body === undefined
          ? res.writeHead(status).end()
          : res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
      const notFound = (what: string) => send(404, { error_code: 404, message: `${what} not found` });
      const m = /^\/kafka\/v3\/clusters\/([^/]+)\/links\/([^/]+)(?:\/mirrors(?::(failover)|\/([^/]+))?)?$/.exec(path);
      if (!m || decodeURIComponent(m[1]) !== this.clusterId) return notFound("cluster");
      const [, , rawLink, action, rawMirror] = m;
      const linkName = decodeURIComponent(rawLink);
      const link = this.links.get(linkName);
      if (!link) return notFound(`link ${linkName}`);
      const mirrorOf = (name: string, status: MirrorStatus): Mirror => ({
        kind: "KafkaMirrorData",
        metadata: { self: "" },
        link_name: linkName,
        mirror_topic_name: name,
        source_topic_name: name,
        num_partitions: 1,
        mirror_lags: [],
        mirror_status: status,
        state_time_ms: 0,
      });
      const isMirrors = path.includes("/mirrors");
      if (!isMirrors && method === "GET") {
        const body: Link = {
          kind: "KafkaLinkData",
          metadata: { self: "" },
          link_name: linkName,
          cluster_link_id: link.id,
          topic_names: [...link.mirrors.keys()],
          link_state: "ACTIVE",
          link_error: "NO_ERROR",
        };
        return send(200, body);
      }
      if (!isMirrors && method === "DELETE") {
        this.links.delete(linkName);
        return send(204);
      }
      if (action === "failover" && method === "POST") {
        const selected = (JSON.parse(text || "{}") as { mirror_topic_names?: string[] }).mirror_topic_names ?? [];
        const data = selected
          .filter((name) => link.mirrors.has(name))
          .map((name) => {
            // Failover stops a mirror where it is, without waiting for lag.
            link.mirrors.set(name, "STOPPED");
            return {
              kind: "AlterMirrorStatusResponseData",
              mirror_topic_name: name,
              error_code: null,
              error_message: null,
              mirror_lags: [],
            };
          });
        return send(200, { kind: "AlterMirrorStatusResponseDataList", metadata: { self: "" }, data });
      }
      if (rawMirror !== undefined && method === "GET") {
        const name = decodeURIComponent(rawMirror);
        const status = link.mirrors.get(name);
        return status ? send(200, mirrorOf(name, status)) : notFound(`mirror ${name}`);
      }
      if (isMirrors && method === "GET")
        return send(200, {
          kind: "KafkaMirrorDataList",
          metadata: { self: "" },
          data: [...link.mirrors.entries()].map(([name, s]) => mirrorOf(name, s)),
        });
      return send(405, { error_code: 405, message: `${method} ${path} is not answered by the fake` });
    });
  }
}

function url(server: http.Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
