// The HTTP layer: authentication, routing of discovery and resource paths, query parameters, watch
// streams, the request log, and the translation of registry errors to Status bodies.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, get as httpGet } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { createServer as createNetServer } from "node:net";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Subresource } from "./apply";
import { ApiError, badRequest, forbidden, unauthorized } from "./errors";
import { writeKubeconfig } from "./kubeconfig";
import { ensureCertificate } from "../tls";
import { OPENAPI_V2_PROTOBUF, openApiV2Json, openApiV2Protobuf } from "./openapi";
import type { AccessAttributes, AccessPolicy } from "./policy";
import { denyRules, policyFromEnv } from "./policy";
import { Registry } from "./registry";
import type { ResourceType } from "./resources";
import {
  SERVER_VERSION,
  apiGroupDoc,
  apiGroupListDoc,
  apiResourceListDoc,
  apiVersionOf,
  apiVersionsDoc,
  findType,
  gatewayCrd,
  typeKey,
} from "./resources";
import type { Selector } from "./selectors";
import { fieldSelector, labelSelector } from "./selectors";
import type { Change, StoreSnapshot } from "./store";
import { Store } from "./store";
import type { JsonObject, JsonValue, KubeObject, WatchEvent } from "./types";
import { asJson, isJsonObject } from "./types";

export interface KubernetesApiOptions {
  /** default: $KAFKA_CUTOVER_STATE, else local/.state */
  stateDir?: string;
  /** default 0: a free port */
  port?: number;
  /** default: a random token (the daemon keeps the one it wrote before) */
  token?: string;
  /** namespaces that exist from the start besides default, kube-system and kube-public */
  namespaces?: string[];
  /** the namespace the kubeconfig's context selects (default "default") */
  contextNamespace?: string;
  /** who may do what; default: $KAFKA_CUTOVER_K8S_DENY rules, else allow everything */
  policy?: AccessPolicy;
  /** shorthand for policy: deny rules such as "patch:gateways" */
  deny?: string[];
  /** keep objects in <stateDir>/kubernetes/store.json across restarts (the daemon does) */
  persist?: boolean;
  /** serve TLS too and point the kubeconfig at https (default true: client-go sends no token over http) */
  tls?: boolean;
}

export interface KubernetesApi {
  /** plain http on the server's port (for our own clients and tests) */
  url: string;
  /** https on the same port; what the kubeconfig points at when tls is on */
  httpsUrl?: string;
  kubeconfigPath: string;
  token: string;
  stateDir: string;
  /** the object semantics, for in-process users such as the Gateway operator emulator */
  registry: Registry;
  store: Store;
  setPolicy(policy: AccessPolicy): void;
  stop(): Promise<void>;
}

export const USER_NAME = "kafka-cutover-admin";

export function resolveStateDir(stateDir?: string): string {
  return path.resolve(stateDir ?? process.env.KAFKA_CUTOVER_STATE ?? path.join(__dirname, "..", ".state"));
}

export function kubernetesDir(stateDir?: string): string {
  return path.join(resolveStateDir(stateDir), "kubernetes");
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  logged: boolean;
}

interface ResourceRequest {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** How a request authenticated, for the request log (never the credential itself). */
function authKind(header: string | undefined, accepted: (header: string) => boolean): string {
  if (!header) return "none";
  if (accepted(header)) return "bearer";
  return `${header.split(" ")[0].toLowerCase()}-wrong`;
}

/**
 * More bearer tokens for the one user, as kube-apiserver's `--token-auth-file` lists them: a CSV file
 * `<stateDir>/kubernetes/tokens` of `token,user,uid[,"groups"]` lines, read again whenever it changes (the
 * real server reads it at start; re-reading lets a test add a token without a restart).
 */
function tokenFileReader(file: string): () => ReadonlySet<string> {
  let seen = "";
  let tokens: ReadonlySet<string> = new Set();
  return () => {
    let stamp = "";
    try {
      const st = fs.statSync(file);
      stamp = `${st.mtimeMs}:${st.size}`;
    } catch {
      stamp = "";
    }
    if (stamp === seen) return tokens;
    seen = stamp;
    const text = stamp ? fs.readFileSync(file, "utf8") : "";
    tokens = new Set(
      text
        .split("\n")
        .map((line) => line.trim().split(",")[0])
        .filter((t) => t && !t.startsWith("#")),
    );
    return tokens;
  };
}

const MAX_BODY = 3 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new ApiError(413, "BadRequest", "request entity too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function verbOf(method: string, r: ResourceRequest, watch: boolean): string {
  switch (method) {
    case "GET":
    case "HEAD":
      return r.name ? "get" : watch ? "watch" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return r.name ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}

/** The annotation through which a local pod names the port behind one of its container ports. */
export const POD_PORT_ANNOTATION_PREFIX = "kafka-cutover.local/port-";

interface PodProxyRequest {
  namespace: string;
  name: string;
  port: number | undefined;
  path: string;
}

/** /api/v1/namespaces/{ns}/pods/{name}[:port]/proxy[/path...] */
function parsePodProxyPath(segs: string[]): PodProxyRequest | undefined {
  const [api, v1, namespaces, namespace, pods, pod, proxy] = segs;
  if (api !== "api" || v1 !== "v1" || namespaces !== "namespaces" || pods !== "pods" || proxy !== "proxy")
    return undefined;
  const [name, port] = pod.split(":");
  const portNumber = port === undefined ? undefined : Number(port);
  return {
    namespace,
    name,
    port: portNumber !== undefined && Number.isInteger(portNumber) ? portNumber : undefined,
    path: segs.slice(7).join("/"),
  };
}

function forwardGet(url: string): Promise<{ status: number; contentType: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 502,
          contentType: String(res.headers["content-type"] ?? "text/plain"),
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.setTimeout(5_000, () => req.destroy(new Error("no answer within 5000 ms")));
    req.on("error", reject);
  });
}

/** Splits /api/v1/... and /apis/<group>/<version>/... into type, namespace, name and subresource. */
function parseResourcePath(segs: string[]): ResourceRequest | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === "api" && segs.length >= 3) [group, version, rest] = ["", segs[1], segs.slice(2)];
  else if (segs[0] === "apis" && segs.length >= 4) [group, version, rest] = [segs[1], segs[2], segs.slice(3)];
  else return undefined;
  let namespace: string | undefined;
  if (
    rest[0] === "namespaces" &&
    rest.length >= 3 &&
    !(rest.length === 3 && ["status", "finalize"].includes(rest[2]))
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const rt = findType(group, version, rest[0]);
  if (!rt || rest.length > 3) return undefined;
  if (namespace !== undefined && !rt.namespaced) return undefined;
  return { rt, namespace, name: rest[1], subresource: rest[2] };
}

export async function startKubernetesApi(opts: KubernetesApiOptions = {}): Promise<KubernetesApi> {
  const stateDir = resolveStateDir(opts.stateDir);
  const dir = kubernetesDir(stateDir);
  fs.mkdirSync(dir, { recursive: true });
  const token = opts.token ?? randomBytes(24).toString("hex");
  const fileTokens = tokenFileReader(path.join(dir, "tokens"));
  const accepted = (header: string): boolean =>
    header === `Bearer ${token}` || (header.startsWith("Bearer ") && fileTokens().has(header.slice(7)));
  let policy: AccessPolicy = opts.policy ?? (opts.deny ? denyRules(opts.deny) : policyFromEnv());
  const logStream = fs.createWriteStream(path.join(dir, "requests.log"), { flags: "a" });

  const store = new Store();
  const storeFile = path.join(dir, "store.json");
  if (opts.persist && fs.existsSync(storeFile)) {
    store.restore(JSON.parse(fs.readFileSync(storeFile, "utf8")) as StoreSnapshot);
  }
  const registry = new Registry(store);
  for (const ns of [...(opts.namespaces ?? []), opts.contextNamespace ?? "default"]) registry.ensureNamespace(ns);
  registry.seed(gatewayCrd());
  const unpersist = opts.persist
    ? store.subscribe(() => {
        fs.writeFileSync(`${storeFile}.tmp`, JSON.stringify(store.snapshot()));
        fs.renameSync(`${storeFile}.tmp`, storeFile);
      })
    : () => undefined;
  const watches = new Set<() => void>();

  const log = (ctx: Ctx, status: number): void => {
    if (ctx.logged) return;
    ctx.logged = true;
    const query: Record<string, string> = {};
    for (const [k, v] of ctx.url.searchParams) query[k] = v;
    logStream.write(
      `${JSON.stringify({
        time: new Date().toISOString(),
        method: ctx.req.method,
        path: ctx.url.pathname,
        query,
        contentType: ctx.req.headers["content-type"] ?? null,
        accept: ctx.req.headers.accept ?? null,
        userAgent: ctx.req.headers["user-agent"] ?? null,
        auth: authKind(ctx.req.headers.authorization, accepted),
        status,
      })}\n`,
    );
  };

  const send = (ctx: Ctx, status: number, body: JsonValue | Record<string, unknown>): void => {
    log(ctx, status);
    const text = JSON.stringify(body);
    ctx.res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    ctx.res.end(ctx.req.method === "HEAD" ? undefined : text);
  };

  const sendError = (ctx: Ctx, e: unknown): void => {
    const err =
      e instanceof ApiError ? e : new ApiError(500, "InternalError", `internal error: ${(e as Error).message}`);
    if (ctx.res.headersSent) {
      ctx.res.end();
      return;
    }
    send(ctx, err.code, err.toStatus());
  };

  const authorize = (a: AccessAttributes, rt: ResourceType): void => {
    if (policy(a)) return;
    const what = `${a.resource}${rt.group ? `.${rt.group}` : ""}${a.name ? ` "${a.name}"` : ""}`;
    const scope = a.namespace ? ` in the namespace "${a.namespace}"` : " at the cluster scope";
    throw forbidden(
      `${what} is forbidden: User "${USER_NAME}" cannot ${a.verb} resource "${a.resource}${a.subresource ? `/${a.subresource}` : ""}" in API group "${rt.group}"${scope}`,
      rt,
      a.name,
    );
  };

  const selectorOf = (q: URLSearchParams): Selector => {
    const byLabel = labelSelector(q.get("labelSelector"));
    const byField = fieldSelector(q.get("fieldSelector"));
    return (o) => byLabel(o) && byField(o);
  };

  const listBody = (rt: ResourceType, items: KubeObject[], resourceVersion: string): JsonObject => ({
    kind: `${rt.kind}List`,
    apiVersion: apiVersionOf(rt),
    metadata: { resourceVersion },
    items: items.map(asJson),
  });

  const serveWatch = (ctx: Ctx, r: ResourceRequest): void => {
    const q = ctx.url.searchParams;
    const selector = selectorOf(q);
    const key = typeKey(r.rt);
    const inNs = (o: KubeObject): boolean => r.namespace === undefined || o.metadata.namespace === r.namespace;
    const matches = (o: KubeObject): boolean => inNs(o) && selector(o);
    const rvParam = q.get("resourceVersion") ?? "";
    const sendInitial = q.get("sendInitialEvents") === "true";
    if (rvParam && !/^\d+$/.test(rvParam)) throw badRequest(`invalid resource version ${JSON.stringify(rvParam)}`);

    log(ctx, 200);
    ctx.res.writeHead(200, {
      "Content-Type": "application/json",
      "Transfer-Encoding": "chunked",
      "Cache-Control": "no-cache",
    });
    ctx.res.flushHeaders();
    const write = (e: WatchEvent): void => {
      ctx.res.write(`${JSON.stringify(e)}\n`);
    };
    const toEvent = (c: Change): WatchEvent | undefined => {
      if (c.typeKey !== key) return undefined;
      const now = matches(c.object);
      const before = c.previous ? matches(c.previous) : false;
      if (c.type === "MODIFIED") {
        if (now && before) return { type: "MODIFIED", object: asJson(c.object) };
        if (now) return { type: "ADDED", object: asJson(c.object) };
        if (before) return { type: "DELETED", object: asJson(c.object) };
        return undefined;
      }
      return now ? { type: c.type, object: asJson(c.object) } : undefined;
    };

    let last = 0;
    const pending: Change[] = [];
    let replaying = true;
    const unsubscribe = store.subscribe((c) => {
      if (replaying) pending.push(c);
      else if (c.resourceVersion > last) {
        last = c.resourceVersion;
        const e = toEvent(c);
        if (e) write(e);
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const close = (): void => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      watches.delete(close);
      if (!ctx.res.writableEnded) ctx.res.end();
    };
    watches.add(close);
    ctx.req.on("close", close);
    ctx.res.on("close", close);
    const timeout = Number(q.get("timeoutSeconds") ?? "0");
    if (timeout > 0) timer = setTimeout(close, timeout * 1000);

    if (sendInitial || rvParam === "" || rvParam === "0") {
      last = store.resourceVersion;
      for (const o of store.list(key, r.namespace).filter(selector)) write({ type: "ADDED", object: asJson(o) });
      if (sendInitial && q.get("allowWatchBookmarks") === "true") {
        write({
          type: "BOOKMARK",
          object: {
            kind: r.rt.kind,
            apiVersion: apiVersionOf(r.rt),
            metadata: { resourceVersion: String(last), annotations: { "k8s.io/initial-events-end": "true" } },
          },
        });
      }
    } else {
      const from = Number(rvParam);
      const changes = store.changesSince(from);
      if (!changes) {
        write({
          type: "ERROR",
          object: new ApiError(
            410,
            "Expired",
            `too old resource version: ${from} (${store.oldestResumable})`,
          ).toStatus(),
        });
        close();
        return;
      }
      last = from;
      for (const c of changes) {
        last = c.resourceVersion;
        const e = toEvent(c);
        if (e) write(e);
      }
      last = Math.max(last, store.resourceVersion);
    }
    replaying = false;
    for (const c of pending.splice(0)) {
      if (c.resourceVersion <= last) continue;
      last = c.resourceVersion;
      const e = toEvent(c);
      if (e) write(e);
    }
  };

  const selfSubjectAccessReview = (body: JsonValue): JsonObject => {
    if (!isJsonObject(body) || !isJsonObject(body.spec)) throw badRequest("a SelfSubjectAccessReview needs spec");
    const spec = body.spec;
    let allowed: boolean;
    if (isJsonObject(spec.resourceAttributes)) {
      const ra = spec.resourceAttributes;
      const s = (v: JsonValue | undefined): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
      allowed = policy({
        verb: s(ra.verb) ?? "",
        group: s(ra.group) ?? "",
        resource: s(ra.resource) ?? "",
        subresource: s(ra.subresource),
        namespace: s(ra.namespace),
        name: s(ra.name),
      });
    } else {
      allowed = true; // non-resource URLs: the emulator serves them all
    }
    return {
      kind: "SelfSubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec,
      status: allowed
        ? { allowed: true, reason: "allowed by the kafka-cutover emulator policy" }
        : { allowed: false, denied: true, reason: "denied by the kafka-cutover emulator policy" },
    };
  };

  const serveResource = async (ctx: Ctx, r: ResourceRequest): Promise<void> => {
    const q = ctx.url.searchParams;
    const method = ctx.req.method ?? "GET";
    const watch = q.get("watch") === "true" || q.get("watch") === "1";
    const verb = verbOf(method, r, watch);
    if (r.subresource && !(r.subresource === "status" && r.rt.statusSubresource)) {
      throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    }
    const sub: Subresource = r.subresource === "status" ? "status" : "";
    if (!r.rt.verbs.includes(verb) && !(sub === "status" && ["get", "update", "patch"].includes(verb))) {
      throw new ApiError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`);
    }
    if (r.rt.virtual) {
      authorize({ verb, group: r.rt.group, resource: r.rt.plural }, r.rt);
      send(ctx, 201, selfSubjectAccessReview(JSON.parse((await readBody(ctx.req)) || "null") as JsonValue));
      return;
    }
    const namespace = r.rt.namespaced ? r.namespace : undefined;
    authorize(
      { verb, group: r.rt.group, resource: r.rt.plural, subresource: r.subresource, namespace, name: r.name },
      r.rt,
    );
    const dryRun = q.getAll("dryRun").includes("All");
    const fieldManager = q.get("fieldManager") ?? undefined;
    const userAgent = ctx.req.headers["user-agent"];
    const write = { dryRun, ...(fieldManager ? { fieldManager } : {}), ...(userAgent ? { userAgent } : {}) };

    switch (verb) {
      case "get":
        send(ctx, 200, asJson(registry.get(r.rt, namespace, r.name ?? "")));
        return;
      case "list": {
        const { items, resourceVersion } = registry.list(r.rt, namespace, selectorOf(q));
        send(ctx, 200, listBody(r.rt, items, resourceVersion));
        return;
      }
      case "watch":
        serveWatch(ctx, r);
        return;
      case "create": {
        const created = registry.create(
          r.rt,
          namespace,
          JSON.parse((await readBody(ctx.req)) || "null") as JsonValue,
          write,
        );
        send(ctx, 201, asJson(created));
        return;
      }
      case "update": {
        const body = JSON.parse((await readBody(ctx.req)) || "null") as JsonValue;
        send(ctx, 200, asJson(registry.update(r.rt, namespace, r.name ?? "", body, write, sub)));
        return;
      }
      case "patch": {
        const existed = registry.store.get(typeKey(r.rt), namespace, r.name ?? "") !== undefined;
        const force = q.get("force") === "true";
        const patched = registry.patch(
          r.rt,
          namespace,
          r.name ?? "",
          String(ctx.req.headers["content-type"] ?? ""),
          await readBody(ctx.req),
          { ...write, force },
          sub,
        );
        send(ctx, existed ? 200 : 201, asJson(patched));
        return;
      }
      case "delete": {
        const text = await readBody(ctx.req);
        const opts = text ? (JSON.parse(text) as JsonValue) : {};
        const pre = isJsonObject(opts) && isJsonObject(opts.preconditions) ? opts.preconditions : {};
        const deleted = registry.delete(r.rt, namespace, r.name ?? "", {
          dryRun: dryRun || (isJsonObject(opts) && Array.isArray(opts.dryRun) && opts.dryRun.includes("All")),
          preconditions: {
            ...(typeof pre.uid === "string" ? { uid: pre.uid } : {}),
            ...(typeof pre.resourceVersion === "string" ? { resourceVersion: pre.resourceVersion } : {}),
          },
        });
        if (r.rt.group === "" && !deleted.metadata.deletionTimestamp) {
          send(ctx, 200, {
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Success",
            details: { name: deleted.metadata.name, kind: r.rt.plural, uid: deleted.metadata.uid },
          });
        } else send(ctx, 200, asJson(deleted));
        return;
      }
      case "deletecollection": {
        const { items } = registry.list(r.rt, namespace, selectorOf(q));
        const gone = items.map((o) => registry.delete(r.rt, o.metadata.namespace, o.metadata.name, { dryRun }));
        send(ctx, 200, listBody(r.rt, gone, String(store.resourceVersion)));
        return;
      }
      default:
        throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }
  };

  const handle = async (ctx: Ctx): Promise<void> => {
    const auth = ctx.req.headers.authorization ?? "";
    if (!accepted(auth)) throw unauthorized();
    const p = ctx.url.pathname.replace(/\/+$/, "") || "/";
    const segs = p.split("/").filter(Boolean).map(decodeURIComponent);
    const method = ctx.req.method ?? "GET";
    const isGet = method === "GET" || method === "HEAD";
    if (isGet) {
      if (p === "/version") return send(ctx, 200, SERVER_VERSION);
      if (["/healthz", "/livez", "/readyz"].includes(p)) {
        log(ctx, 200);
        ctx.res.writeHead(200, { "Content-Type": "text/plain" });
        ctx.res.end("ok");
        return;
      }
      if (p === "/api") return send(ctx, 200, apiVersionsDoc(ctx.req.headers.host ?? "127.0.0.1"));
      if (p === "/apis") return send(ctx, 200, apiGroupListDoc());
      if (p === "/api/v1") return send(ctx, 200, apiResourceListDoc("", "v1") ?? {});
      if (segs[0] === "apis" && segs.length === 2) {
        const doc = apiGroupDoc(segs[1]);
        if (doc) return send(ctx, 200, doc);
      }
      if (segs[0] === "apis" && segs.length === 3) {
        const doc = apiResourceListDoc(segs[1], segs[2]);
        if (doc) return send(ctx, 200, doc);
      }
      if (p === "/openapi/v2") {
        const version = String(SERVER_VERSION.gitVersion);
        if ((ctx.req.headers.accept ?? "").includes("protobuf")) {
          const body = openApiV2Protobuf(version);
          log(ctx, 200);
          ctx.res.writeHead(200, { "Content-Type": OPENAPI_V2_PROTOBUF, "Content-Length": body.length });
          ctx.res.end(body);
          return;
        }
        return send(ctx, 200, openApiV2Json(version));
      }
    }
    const proxied = parsePodProxyPath(segs);
    if (proxied) return proxyToPod(ctx, proxied);
    const r = parseResourcePath(segs);
    if (!r) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    await serveResource(ctx, r);
  };

  /**
   * `GET /api/v1/namespaces/{ns}/pods/{name}[:port]/proxy/{path}`: the API server forwards to the pod. Pods of
   * the local environment all live on 127.0.0.1, so a pod names the local port behind each container port in
   * an annotation (`kafka-cutover.local/port-<containerPort>`); a pod that does not answer is a 503, as the
   * real API server's "error trying to reach service".
   */
  const proxyToPod = async (ctx: Ctx, target: PodProxyRequest): Promise<void> => {
    const access = { verb: "get", group: "", resource: "pods", subresource: "proxy", namespace: target.namespace };
    if (!policy({ ...access, name: target.name }))
      throw new ApiError(
        403,
        "Forbidden",
        `pods "${target.name}" is forbidden: cannot get resource "pods/proxy" in namespace "${target.namespace}"`,
      );
    const rt = findType("", "v1", "pods") as ResourceType;
    const pod = registry.get(rt, target.namespace, target.name);
    const annotations = (pod.metadata.annotations ?? {}) as Record<string, string>;
    const containerPort = target.port ?? 80;
    const local = Number(annotations[`${POD_PORT_ANNOTATION_PREFIX}${containerPort}`]);
    if (!Number.isInteger(local) || local <= 0)
      throw new ApiError(
        503,
        "ServiceUnavailable",
        `error trying to reach service: no endpoint on port ${containerPort}`,
      );
    const answer = await forwardGet(`http://127.0.0.1:${local}/${target.path}${ctx.url.search}`).catch((err: Error) => {
      throw new ApiError(503, "ServiceUnavailable", `error trying to reach service: ${err.message}`);
    });
    log(ctx, answer.status);
    ctx.res.writeHead(answer.status, { "Content-Type": answer.contentType });
    ctx.res.end(answer.body);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const ctx: Ctx = { req, res, url: new URL(req.url ?? "/", "http://localhost"), logged: false };
    handle(ctx).catch((e: unknown) => {
      sendError(ctx, e instanceof SyntaxError ? badRequest(`error decoding request body: ${e.message}`) : e);
    });
  };
  const httpServer = createServer(onRequest);
  const useTls = opts.tls ?? true;
  const material = useTls ? ensureCertificate(dir) : undefined;
  const httpsServer = material ? createHttpsServer({ cert: material.cert, key: material.key }, onRequest) : undefined;
  const sockets = new Set<Socket>();
  // One port, two protocols: a TLS connection starts with a handshake record (0x16).
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.once("readable", () => {
      const first = socket.read(1) as Buffer | null;
      if (first) socket.unshift(first);
      const target = first && first[0] === 0x16 && httpsServer ? httpsServer : httpServer;
      target.emit("connection", socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const httpsUrl = material ? `https://127.0.0.1:${port}` : undefined;
  const kubeconfigPath = path.join(dir, "kubeconfig");
  writeKubeconfig(kubeconfigPath, {
    server: httpsUrl ?? url,
    token,
    namespace: opts.contextNamespace ?? "default",
    ...(material ? { caPem: material.cert } : {}),
  });

  return {
    url,
    ...(httpsUrl ? { httpsUrl } : {}),
    kubeconfigPath,
    token,
    stateDir,
    registry,
    store,
    setPolicy(p: AccessPolicy) {
      policy = p;
    },
    async stop() {
      for (const close of [...watches]) close();
      unpersist();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => logStream.end(() => resolve()));
    },
  };
}
