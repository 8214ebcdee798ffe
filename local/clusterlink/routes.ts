// The REST v3 paths for links and mirror topics, answered with the spec's resource kinds and
// `metadata.self` URLs. Handlers throw RestError for the error envelope.
import { MIRROR_TOPIC_STATUSES } from "./api/description";
import type { AlterMirrorStatusData, LinkConfigData, LinkData, MirrorTopicData, MirrorTopicStatus } from "./api/types";
import { badRequest, RestError } from "./errors";
import type { LinkRuntime, MirrorAction } from "./link";
import { configSpecs, effectiveConfig } from "./linkConfigs";
import type { ClusterLinkService, ConfigChange } from "./service";
import type { MirrorRecord } from "./store";
import type { FaultInjector } from "./faults";

export interface RestRequest {
  method: string;
  /** Path segments after /kafka/v3/clusters/{id}/links, already decoded. */
  segments: string[];
  query: URLSearchParams;
  body: unknown;
}

export interface RestResponse {
  status: number;
  body?: unknown;
}

const mirrorStatuses: readonly MirrorTopicStatus[] = MIRROR_TOPIC_STATUSES;

function flag(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const v = query.get(name);
  if (v === null || v === "") return fallback;
  if (v !== "true" && v !== "false") throw badRequest(`Query parameter '${name}' must be true or false.`);
  return v === "true";
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== "object" || Array.isArray(body))
    throw new RestError(400, 400, "The request body must be a JSON object.");
  return body as Record<string, unknown>;
}

export class Routes {
  constructor(
    private readonly service: ClusterLinkService,
    private readonly clusterId: string,
    private readonly baseUrl: () => string,
    private readonly faults?: FaultInjector,
  ) {}

  async handle(req: RestRequest): Promise<RestResponse> {
    const { method, segments: s, query } = req;
    const body = objectBody(req.body);
    if (s.length === 0) {
      if (method === "GET")
        return {
          status: 200,
          body: this.collection(
            "KafkaLinkDataList",
            this.linksUrl(),
            [...this.service.links.values()].map((l) => this.linkView(l, false)),
          ),
        };
      if (method === "POST") {
        const name = query.get("link_name");
        if (!name) throw badRequest("Query parameter 'link_name' is required.");
        await this.service.createLink(name, body, {
          validateOnly: flag(query, "validate_only", false),
          validateLink: flag(query, "validate_link", true),
        });
        return { status: 204 };
      }
    }
    const [linkName, second, third] = s;
    if (s.length >= 2 && second === "mirrors" && linkName === "-") {
      if (s.length === 2 && method === "GET")
        return this.listMirrors([...this.service.links.values()], query, `${this.linksUrl()}/-/mirrors`);
      throw new RestError(405, 405, `${method} is not allowed on links/-/mirrors.`);
    }
    if (s.length === 1) {
      if (method === "GET")
        return { status: 200, body: this.linkView(this.service.link(linkName), flag(query, "include_tasks", false)) };
      if (method === "DELETE") {
        await this.service.deleteLink(linkName, {
          force: flag(query, "force", false),
          validateOnly: flag(query, "validate_only", false),
        });
        // The spec answers a delete with 200 and no content (not 204).
        return { status: 200 };
      }
    }
    if (second === "configs:alter" && s.length === 2 && method === "PUT") {
      const data = body.data;
      if (!Array.isArray(data)) throw badRequest("configs:alter needs a 'data' array of {name, value, operation}.");
      const changes = (data as Record<string, unknown>[]).map((d): ConfigChange => {
        const op = d.operation ?? "SET";
        if (typeof d.name !== "string" || (op !== "SET" && op !== "DELETE"))
          throw badRequest("each config needs a name and an operation SET or DELETE.");
        return { name: d.name, value: typeof d.value === "string" ? d.value : null, operation: op };
      });
      await this.service.alterConfigs(
        linkName,
        changes,
        flag(query, "validate_only", false) || body.validate_only === true,
      );
      return { status: 204 };
    }
    if (second === "configs") {
      const link = this.service.link(linkName);
      if (s.length === 2 && method === "GET") {
        const data = Object.keys(configSpecs).map((n) => this.configView(link, n));
        return {
          status: 200,
          body: this.collection("KafkaLinkConfigDataList", `${this.linkUrl(linkName)}/configs`, data),
        };
      }
      if (s.length === 3) {
        if (!configSpecs[third])
          throw new RestError(404, 404, `Config '${third}' does not exist for cluster link '${linkName}'.`);
        if (method === "GET") return { status: 200, body: this.configView(link, third) };
        if (method === "PUT") {
          if (typeof body.value !== "string") throw badRequest('The body must be {"value": "…"}.');
          await this.service.alterConfigs(linkName, [{ name: third, value: body.value, operation: "SET" }], false);
          return { status: 204 };
        }
        if (method === "DELETE") {
          await this.service.alterConfigs(linkName, [{ name: third, value: null, operation: "DELETE" }], false);
          return { status: 204 };
        }
      }
    }
    if (second === "mirrors") {
      const link = this.service.link(linkName);
      if (s.length === 2 && method === "GET")
        return this.listMirrors([link], query, `${this.linkUrl(linkName)}/mirrors`);
      if (s.length === 2 && method === "POST") return this.createMirror(link, body);
      if (s.length === 3 && method === "GET") {
        const m = link.findMirror(third);
        if (!m)
          throw new RestError(404, 40403, `Mirror topic '${third}' does not exist on cluster link '${linkName}'.`);
        return { status: 200, body: await this.mirrorView(link, m) };
      }
    }
    const action = /^mirrors:(promote|failover|pause|resume)$/.exec(second ?? "");
    if (action && s.length === 2 && method === "POST") {
      return this.mirrorAction(
        this.service.link(linkName),
        action[1] as MirrorAction,
        body,
        flag(query, "validate_only", false),
      );
    }
    throw new RestError(404, 404, `No route for ${method} ${["links", ...s].join("/")}.`);
  }

  private linksUrl(): string {
    return `${this.baseUrl()}/kafka/v3/clusters/${this.clusterId}/links`;
  }

  private linkUrl(name: string): string {
    return `${this.linksUrl()}/${encodeURIComponent(name)}`;
  }

  private collection<T>(
    kind: string,
    self: string,
    data: T[],
  ): { kind: string; metadata: { self: string; next: null }; data: T[] } {
    return { kind, metadata: { self, next: null }, data };
  }

  private linkView(link: LinkRuntime, includeTasks: boolean): LinkData {
    const status = link.linkStatus();
    const r = link.record;
    return {
      kind: "KafkaLinkData",
      metadata: {
        self: this.linkUrl(r.linkName),
        resource_name: `crn:///kafka=${this.clusterId}/cluster-link=${r.linkName}`,
      },
      source_cluster_id: r.sourceClusterId,
      destination_cluster_id: null,
      remote_cluster_id: null,
      link_name: r.linkName,
      link_id: r.clusterLinkId,
      cluster_link_id: r.clusterLinkId,
      topic_names: r.mirrors.map((m) => m.mirrorTopicName),
      link_state: status.linkState,
      link_error: status.linkError,
      link_error_message: status.message,
      ...(includeTasks ? { tasks: link.tasks() } : {}),
    };
  }

  private configView(link: LinkRuntime, name: string): LinkConfigData {
    const spec = configSpecs[name];
    const value = effectiveConfig(link.record.configs, name) ?? null;
    return {
      kind: "KafkaLinkConfigData",
      metadata: { self: `${this.linkUrl(link.name)}/configs/${name}`, resource_name: null },
      cluster_id: this.clusterId,
      name,
      value: spec.sensitive ? null : value,
      is_default: !(name in link.record.configs),
      is_read_only: spec.readOnly ?? false,
      is_sensitive: spec.sensitive ?? false,
      source: name in link.record.configs ? "DYNAMIC_CLUSTER_LINK_CONFIG" : "DEFAULT_CONFIG",
      synonyms: spec.synonyms ?? [],
      link_name: link.name,
    };
  }

  private async mirrorView(link: LinkRuntime, m: MirrorRecord): Promise<MirrorTopicData> {
    return {
      kind: "KafkaMirrorData",
      metadata: {
        self: `${this.linkUrl(link.name)}/mirrors/${encodeURIComponent(m.mirrorTopicName)}`,
        resource_name: `crn:///kafka=${this.clusterId}/cluster-link=${link.name}/topic=${m.mirrorTopicName}`,
      },
      link_name: link.name,
      mirror_topic_name: m.mirrorTopicName,
      source_topic_name: m.sourceTopicName,
      num_partitions: m.numPartitions,
      mirror_lags: await link.reportedMirrorLags(m),
      mirror_status: link.mirrorStatus(m),
      state_time_ms: m.stateTimeMs,
      mirror_topic_error: m.error?.reason ?? "NO_ERROR",
      ...(m.error
        ? { mirror_state_transition_errors: [{ error_code: m.error.reason, error_message: m.error.message }] }
        : {}),
    };
  }

  private async listMirrors(links: LinkRuntime[], query: URLSearchParams, self: string): Promise<RestResponse> {
    const wanted = query.get("mirror_status");
    if (wanted !== null && !mirrorStatuses.includes(wanted.toUpperCase() as MirrorTopicStatus)) {
      throw badRequest(`mirror_status must be one of ${mirrorStatuses.join(", ")}.`);
    }
    const data: MirrorTopicData[] = [];
    for (const link of links) {
      for (const m of link.record.mirrors) {
        if (wanted !== null && link.mirrorStatus(m) !== wanted.toUpperCase()) continue;
        data.push(await this.mirrorView(link, m));
      }
    }
    return { status: 200, body: this.collection("KafkaMirrorDataList", self, data) };
  }

  private async createMirror(link: LinkRuntime, body: Record<string, unknown>): Promise<RestResponse> {
    const source = body.source_topic_name;
    if (typeof source !== "string" || source === "") throw badRequest("source_topic_name is required.");
    const prefix = effectiveConfig(link.record.configs, "cluster.link.prefix") ?? "";
    const mirror = typeof body.mirror_topic_name === "string" ? body.mirror_topic_name : `${prefix}${source}`;
    if (mirror !== `${prefix}${source}`) {
      throw badRequest(
        `mirror_topic_name must be '${prefix}${source}' (the link's cluster.link.prefix followed by the source topic name).`,
      );
    }
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(mirror)) throw badRequest(`Invalid topic name '${mirror}'.`);
    await link.createMirror(source, mirror);
    return { status: 204 };
  }

  private async mirrorAction(
    link: LinkRuntime,
    action: MirrorAction,
    body: Record<string, unknown>,
    validateOnly: boolean,
  ): Promise<RestResponse> {
    const names = body.mirror_topic_names;
    const pattern = body.mirror_topic_name_pattern;
    if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== "string"))) {
      throw badRequest("mirror_topic_names must be an array of topic names.");
    }
    if (names === undefined && typeof pattern !== "string")
      throw badRequest("Give mirror_topic_names or mirror_topic_name_pattern.");
    const selected = link.selectMirrors(
      names as string[] | undefined,
      typeof pattern === "string" ? pattern : undefined,
    );
    // Each topic's action and lag read are independent: a 100-topic promote should not take 100 round trips.
    const outcomes = await Promise.all(
      [...selected.names, ...selected.missing].map((name) => {
        const refused = this.faults?.takeMirrorRefusal(action, name);
        return refused
          ? { mirrorTopicName: name, errorCode: 400, errorMessage: refused, lags: [] }
          : link.act(action, name, validateOnly);
      }),
    );
    const data: AlterMirrorStatusData[] = outcomes.map((outcome) => ({
      kind: "AlterMirrorsData",
      mirror_topic_name: outcome.mirrorTopicName,
      error_code: outcome.errorCode,
      error_message: outcome.errorMessage,
      mirror_lags: outcome.lags,
      messages_truncated: null,
      partition_level_truncation_data: [],
    }));
    return {
      status: 200,
      body: {
        kind: "KafkaPromoteMirror",
        metadata: { self: `${this.linkUrl(link.name)}/mirrors:${action}`, next: null },
        data,
      },
    };
  }
}
