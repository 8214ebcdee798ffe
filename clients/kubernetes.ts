/**
 * A small Kubernetes API client for what the cutover does to the Gateway custom resource: read it, apply
 * a change with server-side apply under our own field manager, ask whether we may, list the Gateway's pods
 * and ask each pod what it serves through the API server's pods proxy. Timeouts on every call; retries
 * only for what the API server says is transient (429, 5xx, connection reset).
 */
import * as https from "https";
import axios, { AxiosError, AxiosInstance } from "axios";
import { KubeTarget, execToken, parseKubeconfig } from "./kubeconfig";
import { RetryPolicy, defaultRetryPolicy, retrying } from "./retry";

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; generation?: number; resourceVersion?: string; uid?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, string>;
}

/** A list answer (`PodList`, `DeploymentList`, …): only its items matter here. */
export interface KubeList<T> {
  items?: T[];
}

/**
 * What a pod answered through the pods proxy. A pod that does not answer (the proxy's 502/503, a timeout,
 * a pod gone: 404) is `reachable: false` with the reason: the caller decides what an unreachable pod means.
 */
export type ProxyAnswer<T> =
  | { readonly reachable: true; readonly body: T }
  | { readonly reachable: false; readonly reason: string };

/** A failed API call: status, the Status reason, the request line; never a credential. */
export class KubernetesApiError extends Error {
  override readonly name = "KubernetesApiError";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    readonly reason: string,
    detail: string,
  ) {
    super(`${method} ${path}: ${status === undefined ? "no response" : `HTTP ${status}`} ${reason}: ${detail}`);
  }
  /** Transient by what the API server answered (429, 5xx) or no answer at all, as client-go retries. */
  get retriable(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
  get noResponse(): boolean {
    return this.status === undefined;
  }
}

export interface KubernetesClientOptions {
  readonly kubeconfig: string;
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
}

export class KubernetesClient {
  private readonly target: KubeTarget;
  private readonly http: AxiosInstance;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private token?: { value: string; expiresAt?: number };

  constructor(opts: KubernetesClientOptions) {
    this.target = parseKubeconfig(opts.kubeconfig);
    this.retry = opts.retry ?? defaultRetryPolicy;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    const creds = this.target.credentials;
    const agent = new https.Agent({
      ...(this.target.caPem ? { ca: this.target.caPem } : {}),
      rejectUnauthorized: !this.target.insecureSkipTlsVerify,
      ...(creds.kind === "clientCertificate" ? { cert: creds.certPem, key: creds.keyPem } : {}),
      keepAlive: true,
    });
    this.http = axios.create({
      baseURL: this.target.server,
      httpsAgent: agent,
      timeout: this.timeoutMs,
      validateStatus: () => true,
    });
  }

  /** The namespace of the kubeconfig's current context, if it names one. */
  get defaultNamespace(): string | undefined {
    return this.target.namespace;
  }

  private async authHeader(): Promise<Record<string, string>> {
    const creds = this.target.credentials;
    if (creds.kind === "token") return { Authorization: `Bearer ${creds.token}` };
    if (creds.kind !== "exec") return {};
    if (!this.token || (this.token.expiresAt !== undefined && this.token.expiresAt - Date.now() < 60_000)) {
      const t = await execToken(creds);
      this.token = { value: t.token, ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}) };
    }
    return { Authorization: `Bearer ${this.token.value}` };
  }

  /** One API call with retries for transient answers; 404 comes back as undefined when `allow404`. */
  request<T>(
    method: "GET" | "PATCH" | "POST" | "DELETE",
    path: string,
    opts: { body?: unknown; contentType?: string; query?: Record<string, string>; allow404?: boolean } = {},
  ): Promise<T | undefined> {
    return retrying(
      async (timeoutMs) => {
        let res;
        try {
          res = await this.http.request({
            method,
            url: path,
            params: opts.query,
            data: opts.body,
            timeout: timeoutMs,
            headers: {
              ...(await this.authHeader()),
              Accept: "application/json",
              ...(opts.contentType ? { "Content-Type": opts.contentType } : {}),
            },
          });
        } catch (e) {
          const ae = e as AxiosError;
          throw new KubernetesApiError(method, path, undefined, ae.code ?? "", ae.message);
        }
        if (res.status >= 200 && res.status < 300) return res.data as T;
        if (res.status === 404 && opts.allow404) return undefined;
        const body = (res.data ?? {}) as { reason?: string; message?: string };
        throw new KubernetesApiError(
          method,
          path,
          res.status,
          body.reason ?? "",
          body.message ?? String(res.statusText),
        );
      },
      { policy: this.retry, what: `${method} ${path}`, attemptTimeoutMs: this.timeoutMs },
    );
  }

  get<T extends KubeObject>(path: string): Promise<T | undefined> {
    return this.request<T>("GET", path, { allow404: true });
  }

  /** The objects at a collection path, e.g. `/api/v1/namespaces/ns/pods`, filtered by a label selector (`app=gw`). */
  async list<T extends KubeObject>(path: string, opts: { labelSelector?: string } = {}): Promise<T[]> {
    const out = await this.request<KubeList<T>>("GET", path, {
      ...(opts.labelSelector !== undefined ? { query: { labelSelector: opts.labelSelector } } : {}),
    });
    return out?.items ?? [];
  }

  /**
   * GET `path` on a pod's `port` through the API server's pods proxy
   * (`/api/v1/namespaces/{ns}/pods/{pod}:{port}/proxy/{path}`), which reaches a container port no Service
   * exposes. 5xx, no answer and 404 (the pod is gone) come back as unreachable; 401/403 and other client
   * errors throw, as retrying cannot fix them.
   */
  async getThroughPodProxy<T>(namespace: string, pod: string, port: number, path: string): Promise<ProxyAnswer<T>> {
    const url = `/api/v1/namespaces/${namespace}/pods/${pod}:${port}/proxy/${path.replace(/^\//, "")}`;
    try {
      const body = await this.request<T>("GET", url, { allow404: true });
      return body === undefined
        ? { reachable: false, reason: `GET ${url}: HTTP 404 (pod gone)` }
        : { reachable: true, body };
    } catch (e) {
      if (e instanceof KubernetesApiError && (e.status === undefined || e.status >= 500))
        return { reachable: false, reason: e.message };
      throw e;
    }
  }

  /** Server-side apply of `body` as `fieldManager`, taking over fields another manager set (force). */
  async apply<T extends KubeObject>(
    path: string,
    body: Record<string, unknown>,
    fieldManager: string,
    opts: { dryRun?: boolean } = {},
  ): Promise<T> {
    const query: Record<string, string> = { fieldManager, force: "true", ...(opts.dryRun ? { dryRun: "All" } : {}) };
    const out = await this.request<T>("PATCH", path, {
      body: JSON.stringify(body),
      contentType: "application/apply-patch+yaml",
      query,
    });
    if (!out) throw new KubernetesApiError("PATCH", path, undefined, "", "empty response");
    return out;
  }

  /** SelfSubjectAccessReview: may the kubeconfig's identity `verb` the resource? */
  async canI(attrs: {
    verb: string;
    group: string;
    resource: string;
    namespace: string;
    name?: string;
    subresource?: string;
  }): Promise<{ allowed: boolean; reason?: string }> {
    const review = await this.request<{ status?: { allowed?: boolean; reason?: string } }>(
      "POST",
      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      {
        body: {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SelfSubjectAccessReview",
          spec: { resourceAttributes: attrs },
        },
        contentType: "application/json",
      },
    );
    return {
      allowed: review?.status?.allowed === true,
      ...(review?.status?.reason ? { reason: review.status.reason } : {}),
    };
  }
}
