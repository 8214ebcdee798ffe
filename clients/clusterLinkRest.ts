// Typed client for the Confluent Cloud Kafka REST v3 cluster-link and mirror-topic operations, shared
// by the dynamic providers. Field names are the API's (snake_case) so responses need no mapping.
import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import { ClusterLinkApiError } from "./errors";
import { defaultRetryPolicy, retrying, type RetryPolicy } from "./retry";
import { REST_LEG, httpsAgent, tlsFailure } from "./tls";

export { ClusterLinkApiError } from "./errors";
export { defaultRetryPolicy, fastRetryPolicy, type RetryPolicy } from "./retry";

export interface ResourceMetadata {
  self: string;
  resource_name?: string | null;
}

export interface CollectionMetadata {
  self: string;
  next?: string | null;
}

export interface Collection<T> {
  kind: string;
  metadata: CollectionMetadata;
  data: T[];
}

export interface ConfigEntry {
  name: string;
  value: string | null;
}

export type LinkState = "ACTIVE" | "FAILED" | "UNAVAILABLE" | "PAUSED" | "UNKNOWN";
export type LinkError =
  | "UNKNOWN"
  | "NO_ERROR"
  | "AUTHENTICATION_ERROR"
  | "UNRESOLVABLE_BOOTSTRAP_ERROR"
  | "INVALID_BOOTSTRAP_INTERNAL_ENDPOINT_ERROR"
  | "BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR"
  | "TIMEOUT_ERROR";

export interface LinkTask {
  task_name: string;
  state: "UNKNOWN" | "ACTIVE" | "IN_ERROR" | "NOT_CONFIGURED" | "LINK_FAILED" | "LINK_UNAVAILABLE" | "LINK_PAUSED";
  errors: { error_code: string; error_message: string }[];
}

export interface Link {
  kind: "KafkaLinkData";
  metadata: ResourceMetadata;
  source_cluster_id?: string | null;
  destination_cluster_id?: string | null;
  remote_cluster_id?: string | null;
  link_name: string;
  link_id?: string;
  cluster_link_id: string;
  topic_names: string[];
  link_state: LinkState;
  link_error: LinkError;
  link_error_message?: string | null;
  tasks?: LinkTask[] | null;
}

export interface LinkConfig {
  kind: "KafkaLinkConfigData";
  metadata: ResourceMetadata;
  cluster_id: string;
  name: string;
  value: string | null;
  is_default: boolean;
  is_read_only: boolean;
  is_sensitive: boolean;
  source: string;
  synonyms: string[];
  link_name: string;
}

export interface CreateLinkRequest {
  source_cluster_id?: string;
  destination_cluster_id?: string;
  remote_cluster_id?: string;
  cluster_link_id?: string;
  configs?: ConfigEntry[];
}

export interface CreateLinkOptions {
  validateOnly?: boolean;
  /** Default true (the API's default): the server connects to the source before accepting. */
  validateLink?: boolean;
}

export interface AlterConfigOperation {
  name: string;
  value?: string | null;
  operation?: "SET" | "DELETE";
}

export type MirrorStatus =
  | "ACTIVE"
  | "FAILED"
  | "LINK_FAILED"
  | "LINK_PAUSED"
  | "PAUSED"
  | "PENDING_STOPPED"
  | "SOURCE_UNAVAILABLE"
  | "STOPPED"
  | "PENDING_MIRROR"
  | "PENDING_SYNCHRONIZE"
  | "PENDING_SETUP_FOR_RESTORE"
  | "PENDING_RESTORE";

export interface MirrorLag {
  partition: number;
  lag: number;
  last_source_fetch_offset: number;
}

export interface Mirror {
  kind: "KafkaMirrorData";
  metadata: ResourceMetadata;
  link_name: string;
  mirror_topic_name: string;
  source_topic_name: string;
  num_partitions: number;
  mirror_lags: MirrorLag[];
  mirror_status: MirrorStatus;
  state_time_ms: number;
  mirror_topic_error?: string;
  mirror_state_transition_errors?: { error_code: string; error_message: string }[];
}

export interface CreateMirrorRequest {
  source_topic_name: string;
  mirror_topic_name?: string;
  replication_factor?: number;
  configs?: ConfigEntry[];
}

/** Which mirrors an action applies to: explicit names, or a regular expression. */
export type MirrorSelector = { mirror_topic_names: string[] } | { mirror_topic_name_pattern: string };

/** One topic's outcome of an action; a non-null, non-zero `error_code` is a per-topic failure. */
export interface MirrorActionResult {
  kind: string;
  mirror_topic_name: string;
  error_code: number | null;
  error_message: string | null;
  mirror_lags: MirrorLag[];
  messages_truncated?: number | null;
  partition_level_truncation_data?: { partition_id: number; offset_truncated_to: number; messages_truncated: number }[];
}

export interface ClusterLinkRestOptions {
  /** e.g. `https://pkc-xxxxx.us-east-1.aws.confluent.cloud:443` */
  restEndpoint: string;
  /** The destination cluster's `lkc-…` id. */
  clusterId: string;
  apiKey: string;
  apiSecret: string;
  /** PEM CAs the endpoint's certificate chains to; unset: the system trust store. Hostnames are always verified. */
  caCertificates?: string;
  /** Per attempt, default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

interface ErrorEnvelope {
  error_code?: unknown;
  message?: unknown;
}

const retriableNetworkCodes = new Set(["ECONNRESET", "ECONNREFUSED"]);
const timeoutCodes = new Set(["ECONNABORTED", "ETIMEDOUT"]);

function isRetriableStatus(status: number, errorCode: number | undefined): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504 || (status >= 500 && errorCode === 50003);
}

function errorFromResponse(response: AxiosResponse, method: string, path: string): ClusterLinkApiError {
  const body: unknown = response.data;
  let errorCode: number | undefined;
  let detail = `${response.statusText || "error"}`;
  if (typeof body === "object" && body !== null) {
    const envelope = body as ErrorEnvelope;
    if (typeof envelope.error_code === "number") errorCode = envelope.error_code;
    if (typeof envelope.message === "string") detail = envelope.message;
  } else if (response.status === 429) {
    detail = "rate limited (429)";
  }
  return new ClusterLinkApiError({
    status: response.status,
    errorCode,
    detail,
    retriable: isRetriableStatus(response.status, errorCode),
    method,
    path,
  });
}

/**
 * No answer. A timeout is final (a POST may have landed; the caller decides), refused or reset is retriable
 * (the retry loop bounds it by the policy's connection-error window).
 */
function transportError(
  err: unknown,
  method: string,
  path: string,
  timeoutMs: number,
  baseURL: string | undefined,
): ClusterLinkApiError {
  const code = axios.isAxiosError(err) ? err.code : undefined;
  const timedOut = code !== undefined && timeoutCodes.has(code);
  // A refused certificate is not a network blip: final, and named by its leg and the key that fixes it.
  const tls = tlsFailure(REST_LEG, err);
  return new ClusterLinkApiError({
    status: undefined,
    errorCode: undefined,
    detail:
      tls ?? (timedOut ? `timed out after ${timeoutMs} ms` : `${code ?? "request failed"}: could not reach ${baseURL}`),
    retriable: !timedOut && code !== undefined && retriableNetworkCodes.has(code),
    method,
    path,
  });
}

export class ClusterLinkRestClient {
  private readonly http: AxiosInstance;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly base: string;

  constructor(private readonly options: ClusterLinkRestOptions) {
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.base = `/kafka/v3/clusters/${encodeURIComponent(options.clusterId)}`;
    this.http = axios.create({
      baseURL: options.restEndpoint.replace(/\/+$/, ""),
      timeout: this.timeoutMs,
      auth: { username: options.apiKey, password: options.apiSecret },
      headers: { Accept: "application/json" },
      validateStatus: () => true,
      // Follow-up pages come as absolute URLs; never send the key to another host by redirect.
      maxRedirects: 0,
      proxy: false,
      httpsAgent: httpsAgent(options.caCertificates),
    });
  }

  get clusterId(): string {
    return this.options.clusterId;
  }

  // ---- links ----

  async createLink(linkName: string, body: CreateLinkRequest, opts: CreateLinkOptions = {}): Promise<void> {
    await this.request("POST", `${this.base}/links`, {
      body,
      query: { link_name: linkName, validate_only: opts.validateOnly, validate_link: opts.validateLink },
    });
  }

  async getLink(linkName: string, opts: { includeTasks?: boolean } = {}): Promise<Link> {
    return this.request<Link>("GET", this.linkPath(linkName), { query: { include_tasks: opts.includeTasks } });
  }

  /** The link, or undefined when it does not exist (404). */
  async findLink(linkName: string): Promise<Link | undefined> {
    try {
      return await this.getLink(linkName);
    } catch (err) {
      if (err instanceof ClusterLinkApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  async listLinks(): Promise<Link[]> {
    return this.listAll<Link>(`${this.base}/links`);
  }

  async deleteLink(linkName: string, opts: { force?: boolean; validateOnly?: boolean } = {}): Promise<void> {
    await this.request("DELETE", this.linkPath(linkName), {
      query: { force: opts.force, validate_only: opts.validateOnly },
    });
  }

  // ---- link configs ----

  async getLinkConfigs(linkName: string): Promise<LinkConfig[]> {
    return this.listAll<LinkConfig>(`${this.linkPath(linkName)}/configs`);
  }

  async getLinkConfig(linkName: string, configName: string): Promise<LinkConfig> {
    return this.request<LinkConfig>("GET", `${this.linkPath(linkName)}/configs/${encodeURIComponent(configName)}`);
  }

  async setLinkConfig(linkName: string, configName: string, value: string): Promise<void> {
    await this.request("PUT", `${this.linkPath(linkName)}/configs/${encodeURIComponent(configName)}`, {
      body: { value },
    });
  }

  /** Resets a config to its default. */
  async deleteLinkConfig(linkName: string, configName: string): Promise<void> {
    await this.request("DELETE", `${this.linkPath(linkName)}/configs/${encodeURIComponent(configName)}`);
  }

  async alterLinkConfigs(
    linkName: string,
    data: AlterConfigOperation[],
    opts: { validateOnly?: boolean } = {},
  ): Promise<void> {
    await this.request("PUT", `${this.linkPath(linkName)}/configs:alter`, {
      body: { data, ...(opts.validateOnly === undefined ? {} : { validate_only: opts.validateOnly }) },
    });
  }

  // ---- mirror topics ----

  async createMirror(linkName: string, body: CreateMirrorRequest): Promise<void> {
    await this.request("POST", `${this.linkPath(linkName)}/mirrors`, { body });
  }

  async getMirror(linkName: string, mirrorTopicName: string): Promise<Mirror> {
    return this.request<Mirror>("GET", `${this.linkPath(linkName)}/mirrors/${encodeURIComponent(mirrorTopicName)}`);
  }

  /** Mirrors of one link, or of every link when `linkName` is undefined. */
  async listMirrors(linkName?: string, opts: { mirrorStatus?: MirrorStatus } = {}): Promise<Mirror[]> {
    const link = linkName === undefined ? "-" : encodeURIComponent(linkName);
    return this.listAll<Mirror>(`${this.base}/links/${link}/mirrors`, { mirror_status: opts.mirrorStatus });
  }

  promoteMirrors(
    linkName: string,
    selector: MirrorSelector,
    opts: { validateOnly?: boolean } = {},
  ): Promise<MirrorActionResult[]> {
    return this.mirrorAction("promote", linkName, selector, opts);
  }

  failoverMirrors(
    linkName: string,
    selector: MirrorSelector,
    opts: { validateOnly?: boolean } = {},
  ): Promise<MirrorActionResult[]> {
    return this.mirrorAction("failover", linkName, selector, opts);
  }

  pauseMirrors(
    linkName: string,
    selector: MirrorSelector,
    opts: { validateOnly?: boolean } = {},
  ): Promise<MirrorActionResult[]> {
    return this.mirrorAction("pause", linkName, selector, opts);
  }

  resumeMirrors(
    linkName: string,
    selector: MirrorSelector,
    opts: { validateOnly?: boolean } = {},
  ): Promise<MirrorActionResult[]> {
    return this.mirrorAction("resume", linkName, selector, opts);
  }

  // ---- plumbing ----

  private linkPath(linkName: string): string {
    return `${this.base}/links/${encodeURIComponent(linkName)}`;
  }

  private async mirrorAction(
    action: "promote" | "failover" | "pause" | "resume",
    linkName: string,
    selector: MirrorSelector,
    opts: { validateOnly?: boolean },
  ): Promise<MirrorActionResult[]> {
    // Per-topic failures arrive inside the 200 and are returned as data: the caller decides per topic.
    const page = await this.request<Collection<MirrorActionResult>>(
      "POST",
      `${this.linkPath(linkName)}/mirrors:${action}`,
      {
        body: selector,
        query: { validate_only: opts.validateOnly },
      },
    );
    return page.data;
  }

  private async listAll<T>(path: string, query: Record<string, string | boolean | undefined> = {}): Promise<T[]> {
    const out: T[] = [];
    let page = await this.request<Collection<T>>("GET", path, { query });
    out.push(...page.data);
    const seen = new Set<string>();
    while (page.metadata?.next) {
      const next = page.metadata.next;
      if (seen.has(next)) break;
      seen.add(next);
      page = await this.request<Collection<T>>("GET", this.sameOriginPath(next, path));
      out.push(...page.data);
    }
    return out;
  }

  /** `metadata.next` is an absolute URL; only its path and query are used, so credentials stay on our host. */
  private sameOriginPath(next: string, fromPath: string): string {
    const url = new URL(next, this.http.defaults.baseURL);
    const ours = new URL(this.http.defaults.baseURL ?? "http://invalid");
    if (url.host !== ours.host) {
      throw new ClusterLinkApiError({
        status: undefined,
        errorCode: undefined,
        detail: `metadata.next points at another host (${url.host}); refusing to follow it`,
        retriable: false,
        method: "GET",
        path: fromPath,
      });
    }
    return `${url.pathname}${url.search}`;
  }

  private async request<T = unknown>(
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    opts: { body?: unknown; query?: Record<string, string | boolean | undefined> } = {},
  ): Promise<T> {
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) params[k] = String(v);
    return retrying(
      async (timeoutMs) => {
        const response = await this.attempt(method, path, params, opts.body, timeoutMs).catch((err: unknown) => {
          throw transportError(err, method, path, timeoutMs, this.http.defaults.baseURL);
        });
        if (response.status >= 200 && response.status < 300) return response.data as T;
        throw errorFromResponse(response, method, path);
      },
      {
        policy: this.policy,
        what: `${method} ${path}`,
        attemptTimeoutMs: this.timeoutMs,
        giveUp: (last, attempts) => (last instanceof ClusterLinkApiError ? last.withAttempts(attempts) : last),
      },
    );
  }

  private attempt(
    method: string,
    path: string,
    params: Record<string, string>,
    body: unknown,
    timeoutMs: number,
  ): Promise<AxiosResponse> {
    return this.http.request({
      method,
      url: path,
      params,
      timeout: timeoutMs,
      ...(body === undefined ? {} : { data: body, headers: { "Content-Type": "application/json" } }),
    });
  }
}
