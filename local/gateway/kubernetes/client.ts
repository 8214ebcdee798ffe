import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { readKubeconfig, type KubeConnection } from "./kubeconfig";

/** A non-2xx answer, with the `Status` reason (NotFound, Conflict, Expired, ...) when the server sent one. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = "KubeApiError";
  }
}

export interface WatchStream {
  /** Settles when the server ends the stream (resolves) or the connection fails (rejects). */
  done: Promise<void>;
  abort(): void;
}

export interface RequestBody {
  contentType: string;
  text: string;
}

const REQUEST_TIMEOUT_MS = 30_000;

function apiError(status: number, text: string): KubeApiError {
  try {
    const body = JSON.parse(text) as { reason?: unknown; message?: unknown };
    return new KubeApiError(
      status,
      typeof body.reason === "string" ? body.reason : "",
      typeof body.message === "string" ? body.message : text,
    );
  } catch {
    return new KubeApiError(status, "", text || `HTTP ${status}`);
  }
}

/**
 * Talks to the API server named by a kubeconfig (server, bearer token or client certificate, CA), as a client
 * of a real cluster would. The kubeconfig is re-read when it changes, so a restarted emulator on a new port
 * (same kubeconfig path) is followed on the next reconnect.
 */
export class KubeClient {
  private conn!: KubeConnection;
  private agent!: http.Agent;
  private mtimeMs = -1;
  private readonly open = new Set<http.ClientRequest>();

  constructor(
    private readonly kubeconfig: string,
    private readonly context?: string,
  ) {
    this.refresh();
  }

  /** The namespace of the kubeconfig's context. */
  get namespace(): string {
    return this.conn.namespace;
  }

  get server(): string {
    return this.conn.server;
  }

  private refresh(): void {
    const mtimeMs = fs.statSync(this.kubeconfig).mtimeMs;
    if (mtimeMs === this.mtimeMs) return;
    this.conn = readKubeconfig(this.kubeconfig, this.context);
    this.mtimeMs = mtimeMs;
    this.agent?.destroy();
    this.agent = this.conn.server.startsWith("https:")
      ? new https.Agent({
          keepAlive: true,
          ca: this.conn.ca,
          cert: this.conn.cert,
          key: this.conn.key,
          rejectUnauthorized: !this.conn.insecureSkipTlsVerify,
        })
      : new http.Agent({ keepAlive: true });
  }

  private send(
    method: string,
    path: string,
    body: RequestBody | undefined,
    onResponse: (res: http.IncomingMessage) => void,
  ): http.ClientRequest {
    try {
      this.refresh();
    } catch {
      // A kubeconfig being rewritten or briefly absent: keep the last good one.
    }
    const url = new URL(this.conn.server + path);
    const headers: http.OutgoingHttpHeaders = {
      Accept: "application/json",
      "User-Agent": "kafka-cutover-gateway-emulator",
    };
    if (this.conn.token) headers.Authorization = `Bearer ${this.conn.token}`;
    if (body) {
      headers["Content-Type"] = body.contentType;
      headers["Content-Length"] = Buffer.byteLength(body.text);
    }
    const request = url.protocol === "https:" ? https.request : http.request;
    const req = request(url, { method, headers, agent: this.agent }, onResponse);
    this.open.add(req);
    req.on("close", () => this.open.delete(req));
    req.end(body?.text);
    return req;
  }

  request<T>(method: string, path: string, body?: RequestBody): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const req = this.send(method, path, body, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) reject(apiError(status, text));
          else {
            try {
              resolve(JSON.parse(text) as T);
            } catch (err) {
              reject(err);
            }
          }
        });
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () =>
        req.destroy(new Error(`${method} ${path}: no answer within ${REQUEST_TIMEOUT_MS} ms`)),
      );
      req.on("error", reject);
    });
  }

  /** A streaming GET whose body is newline-delimited JSON (a watch); each complete line goes to `onLine`. */
  stream(path: string, onLine: (line: string) => void): WatchStream {
    let req: http.ClientRequest | undefined;
    const done = new Promise<void>((resolve, reject) => {
      req = this.send("GET", path, undefined, (res) => {
        const status = res.statusCode ?? 0;
        let buffered = "";
        res.setEncoding("utf8");
        if (status !== 200) {
          res.on("data", (c: string) => (buffered += c));
          res.on("end", () => reject(apiError(status, buffered)));
          return;
        }
        res.on("data", (chunk: string) => {
          buffered += chunk;
          let nl: number;
          while ((nl = buffered.indexOf("\n")) >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (line) onLine(line);
          }
        });
        res.on("end", () => resolve());
        res.on("aborted", () => reject(new Error(`watch ${path}: connection aborted`)));
        res.on("error", reject);
      });
      req.on("error", reject);
    });
    return { done, abort: () => req?.destroy() };
  }

  close(): void {
    for (const req of this.open) req.destroy();
    this.agent.destroy();
  }
}
