// The emulator's model: the links of one destination cluster, created, reconfigured and deleted as the
// REST API asks, persisted to the state dir and resumed on start.
import { randomBytes } from "node:crypto";
import { Kafka, type Admin, type Producer } from "kafkajs";
import type { ConfigData } from "./api/types";
import { destinationKafka, sourceKafkaConfig, sourcePrincipal, type DestinationAccess } from "./connections";
import { badRequest, linkNotFound, RestError } from "./errors";
import { LinkRuntime } from "./link";
import { StandaloneOffsetCommitter } from "./offsetCommit";
import { configSpecs, connectionKeys, effectiveConfig, validateConfig } from "./linkConfigs";
import { classifySourceError } from "./sourceErrors";
import { LinkStore, type LinkRecord } from "./store";

/**
 * How often a link refreshes the `mirror_lags` it reports. Confluent does not document it; its figures come
 * from the link's last fetch (README "Mirror lags"). 2 s makes the trailing visible to every client that polls
 * (the product polls every 100–250 ms) while a wait for lag 0 costs at most 2 s more.
 */
export const DEFAULT_MIRROR_LAG_REFRESH_MS = 2_000;

export interface ServiceOptions {
  destination: DestinationAccess;
  store: LinkStore;
  promoteCheckMs?: number;
  healthCheckMs?: number;
  mirrorLagRefreshMs?: number;
}

export interface ConfigChange {
  name: string;
  value: string | null;
  operation: "SET" | "DELETE";
}

/** Same shape as a Kafka Uuid string (22 chars of base64url), like real cluster link ids. */
function newClusterLinkId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

export class ClusterLinkService {
  readonly links = new Map<string, LinkRuntime>();
  private destinationAdmin: Admin | undefined;
  private producer: Producer | undefined;
  private committer: StandaloneOffsetCommitter | undefined;

  constructor(private readonly opts: ServiceOptions) {}

  async start(): Promise<void> {
    const kafka = destinationKafka(this.opts.destination, "cluster-link-emulator");
    this.destinationAdmin = kafka.admin();
    // No retries inside kafkajs: a produce that might have landed twice would shift offsets; the
    // replicator re-reads the destination's log end instead. Metadata at most 1 s old (kafkajs: 5 min), so
    // partitions a link adds to a mirror are written to within a second.
    this.producer = kafka.producer({
      allowAutoTopicCreation: false,
      retry: { retries: 0 },
      maxInFlightRequests: 1,
      metadataMaxAge: 1_000,
    });
    this.committer = new StandaloneOffsetCommitter(kafka);
    await Promise.all([this.destinationAdmin.connect(), this.producer.connect(), this.committer.connect()]);
    for (const record of this.opts.store.load()) {
      const link = this.runtime(record);
      this.links.set(record.linkName, link);
      await link.start();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.stop()));
    await this.producer?.disconnect().catch(() => undefined);
    await this.committer?.disconnect().catch(() => undefined);
    await this.destinationAdmin?.disconnect().catch(() => undefined);
  }

  link(name: string): LinkRuntime {
    const link = this.links.get(name);
    if (!link) throw linkNotFound(name);
    return link;
  }

  async createLink(
    name: string,
    body: {
      source_cluster_id?: unknown;
      destination_cluster_id?: unknown;
      remote_cluster_id?: unknown;
      configs?: unknown;
    },
    opts: { validateOnly: boolean; validateLink: boolean },
  ): Promise<void> {
    if (!/^[A-Za-z0-9._-]{1,200}$/.test(name)) throw badRequest(`Invalid cluster link name '${name}'.`);
    if (this.links.has(name)) throw badRequest(`Cluster link '${name}' already exists.`);
    if (body.destination_cluster_id !== undefined || body.remote_cluster_id !== undefined) {
      throw badRequest(
        "Only destination-initiated links (source_cluster_id + source connection configs) are supported here.",
      );
    }
    const configs = this.parseConfigs(body.configs);
    if (!configs["bootstrap.servers"])
      throw badRequest("Config 'bootstrap.servers' is required for a destination-initiated link.");
    let sourceClusterId = typeof body.source_cluster_id === "string" ? body.source_cluster_id : null;
    if (opts.validateLink) sourceClusterId = await this.validateSource(name, configs, sourceClusterId);
    if (opts.validateOnly) return;
    const record: LinkRecord = {
      linkName: name,
      clusterLinkId: newClusterLinkId(),
      sourceClusterId,
      configs,
      mirrors: [],
    };
    const link = this.runtime(record);
    this.links.set(name, link);
    this.save();
    await link.start();
  }

  async deleteLink(name: string, opts: { force: boolean; validateOnly: boolean }): Promise<void> {
    const link = this.link(name);
    if (link.hasActiveMirrors() && !opts.force) {
      const active = link.record.mirrors
        .filter((m) => m.phase === "mirroring" || m.phase === "pending_stop")
        .map((m) => m.mirrorTopicName);
      throw badRequest(
        `Cluster link '${name}' cannot be deleted while it has active mirror topics (${active.join(", ")}): ` +
          "promote or fail them over first, or delete with force=true.",
      );
    }
    if (opts.validateOnly) return;
    await link.detachMirrors();
    await link.stop();
    this.links.delete(name);
    this.save();
  }

  async alterConfigs(name: string, changes: ConfigChange[], validateOnly: boolean): Promise<void> {
    const link = this.link(name);
    for (const c of changes) {
      if (!configSpecs[c.name]) throw badRequest(`Unknown cluster link config '${c.name}'.`);
      if (configSpecs[c.name].readOnly)
        throw badRequest(`Cluster link config '${c.name}' is read-only and cannot be altered.`);
      if (c.operation === "SET") {
        if (c.value === null) throw badRequest(`Config '${c.name}' needs a value.`);
        try {
          validateConfig(c.name, c.value, { creating: false });
        } catch (err) {
          throw badRequest((err as Error).message);
        }
      }
    }
    if (validateOnly) return;
    for (const c of changes) {
      if (c.operation === "SET" && c.value !== null) link.record.configs[c.name] = c.value;
      else delete link.record.configs[c.name];
    }
    this.save();
    if (changes.some((c) => connectionKeys.has(c.name))) await link.restart();
    else link.reschedule();
  }

  save(): void {
    this.opts.store.save([...this.links.values()].map((l) => l.record));
  }

  private runtime(record: LinkRecord): LinkRuntime {
    if (!this.destinationAdmin || !this.producer || !this.committer)
      throw new RestError(500, 50003, "emulator not started");
    return new LinkRuntime(record, {
      destinationAdmin: this.destinationAdmin,
      producer: this.producer,
      committer: this.committer,
      save: () => this.save(),
      promoteCheckMs: this.opts.promoteCheckMs ?? 250,
      healthCheckMs: this.opts.healthCheckMs ?? 5_000,
      mirrorLagRefreshMs: this.opts.mirrorLagRefreshMs ?? DEFAULT_MIRROR_LAG_REFRESH_MS,
    });
  }

  private parseConfigs(raw: unknown): Record<string, string> {
    if (raw === undefined) return {};
    if (!Array.isArray(raw)) throw badRequest("configs must be an array of {name, value}.");
    const out: Record<string, string> = {};
    for (const entry of raw as Partial<ConfigData>[]) {
      if (typeof entry?.name !== "string") throw badRequest("every config needs a name.");
      if (typeof entry.value !== "string") throw badRequest(`Config '${entry.name}' needs a string value.`);
      try {
        validateConfig(entry.name, entry.value, { creating: true });
      } catch (err) {
        throw badRequest((err as Error).message);
      }
      out[entry.name] = entry.value;
    }
    return out;
  }

  /** validate_link: connect to the source as the link would, and check the cluster id. */
  private async validateSource(
    name: string,
    configs: Record<string, string>,
    expectedId: string | null,
  ): Promise<string> {
    let config;
    try {
      config = sourceKafkaConfig(configs, `cluster-link-validate-${name}`);
    } catch (err) {
      throw badRequest(`Cluster link '${name}': ${(err as Error).message}`);
    }
    const admin = new Kafka({ ...config, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      const { clusterId } = await admin.describeCluster();
      if (expectedId !== null && expectedId !== clusterId) {
        throw badRequest(
          `Cluster link '${name}': source_cluster_id '${expectedId}' does not match the source cluster's id '${clusterId}'.`,
        );
      }
      return clusterId;
    } catch (err) {
      if (err instanceof RestError) throw err;
      const bootstrap = effectiveConfig(configs, "bootstrap.servers") ?? "";
      const failure = classifySourceError(err, bootstrap, sourcePrincipal(configs));
      throw badRequest(`Unable to validate cluster link '${name}' (${failure.linkError}): ${failure.message}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
