// One cluster link at run time: its source connection, a replicator per mirror topic, the consumer
// offset sync on its interval, and the mirror-state machine (ACTIVE/PAUSED → PENDING_STOPPED → STOPPED,
// or straight to STOPPED by failover; FAILED when offsets can no longer be preserved).
import { Kafka, type Admin, type Producer } from "kafkajs";
import type {
  LinkErrorCode,
  LinkState,
  LinkTaskData,
  MirrorLagData,
  MirrorTopicError,
  MirrorTopicStatus,
} from "./api/types";
import { sourceKafkaConfig, sourcePrincipal } from "./connections";
import { badRequest, RestError, topicNotFound } from "./errors";
import { parseGroupFilters } from "./groupFilters";
import { effectiveConfig } from "./linkConfigs";
import type { StandaloneOffsetCommitter } from "./offsetCommit";
import {
  INTERNAL_GROUP_PREFIX,
  syncConsumerOffsets,
  taskError,
  type OffsetSyncError,
  type OffsetSyncResult,
} from "./offsetSync";
import { makeReadOnly, makeWritable } from "./readOnly";
import { MirrorReplicator } from "./replicator";
import { classifySourceError } from "./sourceErrors";
import type { LinkRecord, MirrorRecord } from "./store";

/** How often a replicator whose start failed for a reason other than the source being away is retried. */
const REPLICATOR_START_ATTEMPTS = 20;
/** How long partitions just added to a mirror topic may take to be served by the destination. */
const NEW_PARTITIONS_READY_MS = 10_000;

export type MirrorAction = "promote" | "failover" | "pause" | "resume";

export interface ActionOutcome {
  mirrorTopicName: string;
  errorCode: number | null;
  errorMessage: string | null;
  lags: MirrorLagData[];
}

export interface LinkContext {
  destinationAdmin: Admin;
  producer: Producer;
  /** Offset-sync commits on the destination (standalone: never joins a group). */
  committer: StandaloneOffsetCommitter;
  /** Persist every link (called after each change). */
  save: () => void;
  /** How often PENDING_STOPPED mirrors are re-checked. */
  promoteCheckMs: number;
  healthCheckMs: number;
  /**
   * How often the `mirror_lags` the REST API reports are refreshed (README "Mirror lags"); 0 = exact on
   * every read, for tests that need exact figures.
   */
  mirrorLagRefreshMs: number;
}

export class LinkRuntime {
  private sourceAdmin: Admin | undefined;
  private readonly replicators = new Map<string, MirrorReplicator>();
  /** Replicators of stopped mirrors still leaving their consumer groups; `stop` waits for them. */
  private readonly leaving = new Set<Promise<void>>();
  private state: { linkState: LinkState; linkError: LinkErrorCode; message: string | null } = {
    linkState: "ACTIVE",
    linkError: "NO_ERROR",
    message: null,
  };
  private lastSync: OffsetSyncResult | undefined;
  private creationDelayMs = 0;
  /** The last cycle that failed as a whole (e.g. the source refused ListGroups), if newer than lastSync. */
  private lastSyncFailure: { atMs: number; code: OffsetSyncError["code"]; message: string } | undefined;
  private syncing: { startedMs: number; promise: Promise<OffsetSyncResult> } | undefined;
  private timers: NodeJS.Timeout[] = [];
  private checkingPromotions = false;
  private readonly lastSourceEnds = new Map<string, Map<number, number>>();
  /** The `mirror_lags` last refreshed per mirror: what the REST API reports until the next refresh. */
  private readonly reportedLags = new Map<string, MirrorLagData[]>();
  private refreshingLags = false;
  /** The partition-count sync in flight (one at a time); `stop` waits for it. */
  private followingPartitions: Promise<void> | undefined;
  /** Mirror topics gaining partitions right now: stopping one of them waits until it has them. */
  private readonly growing = new Map<string, Promise<void>>();
  /** Mirrors being stopped (promote, failover): from that moment they gain no partitions. */
  private readonly stoppingMirrors = new Set<string>();
  private stopped = false;

  constructor(
    readonly record: LinkRecord,
    private readonly ctx: LinkContext,
  ) {}

  get name(): string {
    return this.record.linkName;
  }

  /**
   * When the last full consumer offset sync cycle completed (ms since epoch), if one did: every selected
   * group was visited, with the outcomes in lastOffsetSyncResult. In process only: the REST API (like
   * Confluent's) has no such field; see README "Consumer offset sync".
   */
  get lastOffsetSyncMs(): number | undefined {
    return this.lastSync?.completedMs;
  }

  get lastOffsetSyncResult(): OffsetSyncResult | undefined {
    return this.lastSync;
  }

  replicatedRecords(mirror: string): number {
    return this.replicators.get(mirror)?.copied ?? 0;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.sourceAdmin = new Kafka(sourceKafkaConfig(this.record.configs, `cluster-link-${this.name}`)).admin();
    try {
      await this.sourceAdmin.connect();
    } catch (err) {
      this.markSourceFailure(err);
    }
    for (const mirror of this.record.mirrors) {
      if (mirror.phase === "mirroring" || mirror.phase === "pending_stop") await this.startReplicator(mirror);
      // A restart in the middle of a creation finishes it, as Cluster Linking's controller would.
      if (mirror.phase === "creating")
        await this.materialize(mirror).catch((err: Error) =>
          this.failMirror(mirror, "UNKNOWN", `creating the mirror failed: ${err.message}`),
        );
    }
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.all([...this.replicators.values()].map((r) => r.stop()));
    this.replicators.clear();
    await Promise.all([...this.leaving]);
    this.leaving.clear();
    await this.followingPartitions?.catch(() => undefined);
    await this.syncing?.promise.catch(() => undefined);
    await this.sourceAdmin?.disconnect().catch(() => undefined);
    this.sourceAdmin = undefined;
  }

  /** Connection configs changed: reconnect everything with the new ones. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Offset-sync interval or filters changed. */
  reschedule(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.schedule();
  }

  // ---- describe ----

  linkStatus(): { linkState: LinkState; linkError: LinkErrorCode; message: string | null } {
    return { ...this.state };
  }

  tasks(): LinkTaskData[] {
    const syncEnabled = effectiveConfig(this.record.configs, "consumer.offset.sync.enable") === "true";
    const failure = this.lastSyncFailure;
    const errors = [
      ...(failure
        ? [{ error_code: failure.code, error_message: `consumer offset sync failed: ${failure.message}` }]
        : []),
      ...(this.lastSync?.skippedActive ?? []).map((g) => ({
        error_code: "CONSUMER_GROUP_IN_USE_ERROR",
        error_message: `consumer group '${g}' is active on the destination; its offsets are not synced`,
      })),
      ...(this.lastSync?.errors ?? []).map((e) => ({
        error_code: e.code,
        error_message: `group '${e.group}': ${e.message}`,
      })),
    ];
    return [
      {
        task_name: "ConsumerOffsetSync",
        state: !syncEnabled
          ? "NOT_CONFIGURED"
          : this.state.linkState !== "ACTIVE"
            ? "LINK_UNAVAILABLE"
            : errors.length
              ? "IN_ERROR"
              : "ACTIVE",
        errors,
      },
      { task_name: "AclSync", state: "NOT_CONFIGURED", errors: [] },
      { task_name: "AutoCreateMirror", state: "NOT_CONFIGURED", errors: [] },
      { task_name: "TopicConfigsSync", state: "NOT_CONFIGURED", errors: [] },
    ];
  }

  mirrorStatus(m: MirrorRecord): MirrorTopicStatus {
    if (m.phase === "failed") return "FAILED";
    if (m.phase === "stopped") return "STOPPED";
    if (this.state.linkState === "FAILED") return "LINK_FAILED";
    if (this.state.linkState === "UNAVAILABLE") return "SOURCE_UNAVAILABLE";
    if (m.phase === "pending_stop") return "PENDING_STOPPED";
    if (m.phase === "creating") return "PENDING_MIRROR";
    return m.paused ? "PAUSED" : "ACTIVE";
  }

  findMirror(name: string): MirrorRecord | undefined {
    return this.record.mirrors.find((m) => m.mirrorTopicName === name);
  }

  /**
   * The `mirror_lags` the REST API reports: figures taken together at the link's last refresh, so they trail
   * reality by up to mirrorLagRefreshMs, as Cluster Linking's come from its last fetch. A mirror's first read
   * and a change of its partition count take a fresh snapshot (the link knows its own partitions).
   */
  async reportedMirrorLags(m: MirrorRecord): Promise<MirrorLagData[]> {
    if (this.ctx.mirrorLagRefreshMs <= 0) return this.lags(m);
    const last = this.reportedLags.get(m.mirrorTopicName);
    if (last && last.length === m.numPartitions) return last;
    const phase = m.phase;
    const now = await this.lags(m);
    // Figures read across a stop are not the stopped mirror's final ones: its next read takes those.
    if (m.phase === phase) this.reportedLags.set(m.mirrorTopicName, now);
    return now;
  }

  /**
   * Exact per-partition lag: source log-end minus destination log-end (last known source ends if unreachable).
   * The link's own decisions (a promotion's catch-up) use this, never the reported snapshot: the real link
   * knows its true position.
   */
  async lags(m: MirrorRecord): Promise<MirrorLagData[]> {
    // Its topic may not exist or have a leader yet: nothing is copied, so there is no lag to report.
    if (m.phase === "creating") return [];
    const [sourceEnds, destinationEnds] = await Promise.all([
      this.sourceEnds(m.sourceTopicName),
      this.destinationEnds(m.mirrorTopicName),
    ]);
    const fetched = this.replicators.get(m.mirrorTopicName)?.fetchOffsets();
    const out: MirrorLagData[] = [];
    for (let p = 0; p < m.numPartitions; p++) {
      const dst = destinationEnds.get(p) ?? 0;
      const src = sourceEnds.get(p) ?? dst;
      out.push({
        partition: p,
        lag: m.phase === "stopped" ? 0 : Math.max(0, src - dst),
        last_source_fetch_offset: fetched?.get(p) ?? dst,
      });
    }
    return out;
  }

  // ---- mirrors ----

  async createMirror(sourceTopic: string, mirrorTopic: string): Promise<void> {
    if (this.state.linkState !== "ACTIVE") {
      throw badRequest(
        `Cluster link '${this.name}' is ${this.state.linkState}: ${this.state.message ?? "source unreachable"}`,
      );
    }
    const admin = this.requireSourceAdmin();
    let partitions: number;
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [sourceTopic] });
      partitions = meta.topics[0].partitions.length;
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (type === "UNKNOWN_TOPIC_OR_PARTITION") throw topicNotFound(sourceTopic);
      if (type === "TOPIC_AUTHORIZATION_FAILED") {
        throw new RestError(
          403,
          40301,
          `The link's principal ${sourcePrincipal(this.record.configs)} may not describe source topic '${sourceTopic}'.`,
        );
      }
      throw new RestError(500, 50003, `Reading source topic '${sourceTopic}' failed: ${(err as Error).message}`);
    }
    // A mirror being created counts as existing: a retried create meets it (listed, PENDING_MIRROR) and is
    // refused as Cluster Linking refuses it, never a plain topic half made by the first attempt.
    const existing = await this.ctx.destinationAdmin.listTopics();
    if (existing.includes(mirrorTopic) || this.findMirror(mirrorTopic))
      throw badRequest(`Topic '${mirrorTopic}' already exists on the destination cluster.`);
    const mirror: MirrorRecord = {
      mirrorTopicName: mirrorTopic,
      sourceTopicName: sourceTopic,
      numPartitions: partitions,
      phase: "creating",
      paused: false,
      stateTimeMs: Date.now(),
    };
    this.record.mirrors.push(mirror);
    this.ctx.save();
    try {
      if (this.creationDelayMs > 0) await new Promise((r) => setTimeout(r, this.creationDelayMs));
      await this.materialize(mirror);
    } catch (err) {
      // All or nothing: neither the record nor a plain topic stays behind.
      this.record.mirrors = this.record.mirrors.filter((m) => m !== mirror);
      this.ctx.save();
      await this.ctx.destinationAdmin.deleteTopics({ topics: [mirrorTopic] }).catch(() => undefined);
      throw new RestError(500, 50003, `Creating mirror topic '${mirrorTopic}' failed: ${(err as Error).message}`);
    }
  }

  /** Makes a recorded mirror real: its read-only topic on the destination, then its replication. */
  private async materialize(mirror: MirrorRecord): Promise<void> {
    const existing = await this.ctx.destinationAdmin.listTopics();
    if (!existing.includes(mirror.mirrorTopicName)) {
      await this.ctx.destinationAdmin.createTopics({
        topics: [{ topic: mirror.mirrorTopicName, numPartitions: mirror.numPartitions, replicationFactor: 1 }],
        waitForLeaders: true,
      });
    }
    await makeReadOnly(this.ctx.destinationAdmin, mirror.mirrorTopicName);
    mirror.phase = "mirroring";
    mirror.stateTimeMs = Date.now();
    this.ctx.save();
    await this.startReplicator(mirror);
  }

  selectMirrors(names: string[] | undefined, pattern: string | undefined): { names: string[]; missing: string[] } {
    if (names) {
      return { names: names.filter((n) => this.findMirror(n)), missing: names.filter((n) => !this.findMirror(n)) };
    }
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${pattern ?? ""})$`);
    } catch {
      throw badRequest(`mirror_topic_name_pattern '${pattern}' is not a valid regular expression.`);
    }
    return { names: this.record.mirrors.map((m) => m.mirrorTopicName).filter((n) => regex.test(n)), missing: [] };
  }

  /** Applies an action to one mirror; a refusal is returned (it goes into the 200 body), not thrown. */
  async act(action: MirrorAction, name: string, validateOnly: boolean): Promise<ActionOutcome> {
    const m = this.findMirror(name);
    if (!m) return { mirrorTopicName: name, ...(await this.notAMirror(name)), lags: [] };
    const refusal = this.refusal(action, m);
    if (!refusal && !validateOnly) await this.apply(action, m);
    const lags = await this.reportedMirrorLags(m).catch(() => []);
    return { mirrorTopicName: name, errorCode: refusal ? 400 : null, errorMessage: refusal ?? null, lags };
  }

  /**
   * Test hook (in-process only): the mirror stays ACTIVE but copies nothing, like a link that cannot keep up
   * with its source; its lag grows with every record the source takes.
   */
  stall(mirrorTopicName: string, stalled: boolean): void {
    const replicator = this.replicators.get(mirrorTopicName);
    if (stalled) replicator?.pause();
    else replicator?.resume();
  }

  /**
   * Test hook (in-process only): each mirror creation takes `ms` longer between being recorded and its topic
   * existing, like a busy destination, so a client's timeout and retry can land in the middle of one.
   */
  slowCreations(ms: number): void {
    this.creationDelayMs = ms;
  }

  hasActiveMirrors(): boolean {
    return this.record.mirrors.some((m) => m.phase === "mirroring" || m.phase === "pending_stop");
  }

  /** Deleting a link (forced) stops its mirrors where they are and makes them writable. */
  async detachMirrors(): Promise<void> {
    for (const m of this.record.mirrors) {
      if (m.phase === "mirroring" || m.phase === "pending_stop") await this.stopMirror(m);
    }
  }

  /**
   * A per-topic refusal for a name that is not one of this link's mirrors: 400 for a topic the destination
   * has (a plain topic, or another link's mirror), 404 for none (README "Actions on mirrors").
   */
  private async notAMirror(name: string): Promise<{ errorCode: number; errorMessage: string }> {
    const exists = await this.ctx.destinationAdmin.listTopics().then(
      (topics) => topics.includes(name),
      () => false,
    );
    return exists
      ? { errorCode: 400, errorMessage: `Topic '${name}' is not a mirror topic of link '${this.name}'` }
      : { errorCode: 404, errorMessage: `Topic '${name}' not found` };
  }

  private refusal(action: MirrorAction, m: MirrorRecord): string | undefined {
    if (m.phase === "creating")
      return `Topic '${m.mirrorTopicName}' is still being created as a mirror from '${this.name}'`;
    // A promotion under way (PENDING_STOPPED) counts as stopped, as Confluent Server answers a repeated
    // promote (README "Actions on mirrors"): an error, never a second silent success.
    if (m.phase === "stopped" || (action === "promote" && m.phase === "pending_stop"))
      return `Topic '${m.mirrorTopicName}' has already stopped its mirror from '${this.name}'`;
    if (m.phase === "failed" && action !== "failover") {
      return `Topic '${m.mirrorTopicName}' mirror from '${this.name}' has failed (${m.error?.message ?? "unknown"}); only failover is possible`;
    }
    if (action === "promote" && this.state.linkState !== "ACTIVE") {
      return `Cannot promote '${m.mirrorTopicName}': link '${this.name}' is ${this.state.linkState} (${this.state.message ?? ""}); use failover`;
    }
    return undefined;
  }

  private async apply(action: MirrorAction, m: MirrorRecord): Promise<void> {
    switch (action) {
      case "promote":
        if (m.phase === "mirroring") {
          m.phase = "pending_stop";
          m.promoteRequestedMs = Date.now();
          m.stateTimeMs = Date.now();
        }
        break;
      case "failover":
        await this.stopMirror(m);
        break;
      case "pause":
        if (!m.paused) {
          m.paused = true;
          if (m.phase === "mirroring") m.stateTimeMs = Date.now();
          this.replicators.get(m.mirrorTopicName)?.pause();
        }
        break;
      case "resume":
        if (m.paused) {
          m.paused = false;
          if (m.phase === "mirroring") m.stateTimeMs = Date.now();
          this.replicators.get(m.mirrorTopicName)?.resume();
        }
        break;
    }
    this.ctx.save();
  }

  private async stopMirror(m: MirrorRecord): Promise<void> {
    // Marked before the first await: a partition sync that has not started for it now never will, and one
    // under way finishes first, so a stopped mirror never gains partitions afterwards.
    this.stoppingMirrors.add(m.mirrorTopicName);
    try {
      await this.growing.get(m.mirrorTopicName)?.catch(() => undefined);
      const replicator = this.replicators.get(m.mirrorTopicName);
      await replicator?.halt();
      if (replicator) {
        const left = replicator.left;
        this.leaving.add(left);
        void left.then(() => this.leaving.delete(left));
      }
      this.replicators.delete(m.mirrorTopicName);
      await makeWritable(this.ctx.destinationAdmin, m.mirrorTopicName);
      m.phase = "stopped";
      m.paused = false;
      m.stateTimeMs = Date.now();
      delete m.promoteRequestedMs;
      // A stopped mirror's figures are final: the next read takes them once, no refresh changes them after.
      this.reportedLags.delete(m.mirrorTopicName);
      this.ctx.save();
    } finally {
      this.stoppingMirrors.delete(m.mirrorTopicName);
    }
  }

  private async startReplicator(m: MirrorRecord, attempt = 1): Promise<void> {
    const replicator = new MirrorReplicator({
      sourceConfig: sourceKafkaConfig(this.record.configs, `cluster-link-${this.name}-${m.mirrorTopicName}`),
      groupId: `${INTERNAL_GROUP_PREFIX}${this.record.clusterLinkId}-${m.mirrorTopicName}`,
      sourceTopic: m.sourceTopicName,
      mirrorTopic: m.mirrorTopicName,
      producer: this.ctx.producer,
      destinationEnds: () => this.destinationEnds(m.mirrorTopicName),
      onFailure: (reason, message) => void this.failMirror(m, reason, message),
    });
    if (m.paused) replicator.pause();
    this.replicators.set(m.mirrorTopicName, replicator);
    try {
      await replicator.start();
    } catch (err) {
      await this.replicatorDown(m, replicator, err, attempt);
    }
  }

  /** A replicator that failed to (re)start: removed, then retried or the link marked unavailable. */
  private async replicatorDown(
    m: MirrorRecord,
    replicator: MirrorReplicator,
    err: unknown,
    attempt: number,
  ): Promise<void> {
    await replicator.stop();
    if (this.replicators.get(m.mirrorTopicName) === replicator) this.replicators.delete(m.mirrorTopicName);
    // Only a source that cannot be reached or logged in to makes the link unavailable. Anything else (a
    // new topic whose metadata has not reached every broker yet) is retried, as the real link would.
    const bootstrap = effectiveConfig(this.record.configs, "bootstrap.servers") ?? "(unset)";
    const failure = classifySourceError(err, bootstrap, sourcePrincipal(this.record.configs));
    if (failure.linkError !== "UNKNOWN" || attempt >= REPLICATOR_START_ATTEMPTS) this.markSourceFailure(err);
    else
      setTimeout(() => {
        if (!this.stopped && m.phase === "mirroring" && !this.replicators.has(m.mirrorTopicName))
          void this.startReplicator(m, attempt + 1);
      }, 250 * attempt);
  }

  private async failMirror(m: MirrorRecord, reason: MirrorTopicError, message: string): Promise<void> {
    m.phase = "failed";
    m.error = { reason, message };
    m.stateTimeMs = Date.now();
    this.ctx.save();
    await this.replicators.get(m.mirrorTopicName)?.stop();
    this.replicators.delete(m.mirrorTopicName);
  }

  // ---- background work ----

  private schedule(): void {
    const every = (ms: number, fn: () => Promise<unknown>): void => {
      const timer = setInterval(() => void fn().catch(() => undefined), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.ctx.promoteCheckMs, () => this.checkPromotions());
    every(this.ctx.healthCheckMs, () => this.checkHealth());
    if (this.ctx.mirrorLagRefreshMs > 0) every(this.ctx.mirrorLagRefreshMs, () => this.refreshReportedLags());
    if (effectiveConfig(this.record.configs, "consumer.offset.sync.enable") === "true") {
      every(Number(effectiveConfig(this.record.configs, "consumer.offset.sync.ms")), () => this.syncOffsets());
    }
    // Cluster Linking syncs a mirror's partition count from its source on a cadence of its own, which is not
    // documented; the emulator uses the link's topic.config.sync.ms (README "Partition increases").
    every(Number(effectiveConfig(this.record.configs, "topic.config.sync.ms")), () => this.followPartitionIncreases());
  }

  /**
   * Refreshes the reported `mirror_lags` of every mirror (STOPPED ones keep their final figures); a tick that
   * comes while a refresh is still running is dropped.
   */
  private async refreshReportedLags(): Promise<void> {
    if (this.refreshingLags || this.stopped) return;
    this.refreshingLags = true;
    try {
      await Promise.all(
        this.record.mirrors
          .filter((m) => m.phase !== "stopped" && m.phase !== "creating")
          .map(async (m) => {
            const lags = await this.lags(m).catch(() => undefined);
            // A mirror stopped meanwhile has its final figures taken on its next read instead.
            if (lags && m.phase !== "stopped") this.reportedLags.set(m.mirrorTopicName, lags);
          }),
      );
    } finally {
      this.refreshingLags = false;
    }
  }

  /**
   * One partition-count sync: every ACTIVE mirror whose source topic has more partitions than it gets the
   * missing ones, empty, and its replicator then copies them from offset 0. A tick that comes while one is
   * still running is dropped.
   */
  private async followPartitionIncreases(): Promise<void> {
    if (this.followingPartitions || this.stopped) return;
    const run = (async () => {
      for (const m of this.record.mirrors) {
        if (this.followsPartitions(m)) await this.followPartitions(m).catch(() => undefined);
      }
    })();
    this.followingPartitions = run;
    try {
      await run;
    } finally {
      this.followingPartitions = undefined;
    }
  }

  /** Only a mirror that is mirroring follows: paused, being promoted, stopped or failed ones keep their count. */
  private followsPartitions(m: MirrorRecord): boolean {
    return (
      !this.stopped &&
      this.state.linkState === "ACTIVE" &&
      m.phase === "mirroring" &&
      !m.paused &&
      !this.stoppingMirrors.has(m.mirrorTopicName)
    );
  }

  private async followPartitions(m: MirrorRecord): Promise<void> {
    const source = await partitionCount(this.requireSourceAdmin(), m.sourceTopicName);
    if (source <= m.numPartitions) return;
    const destination = await partitionCount(this.ctx.destinationAdmin, m.mirrorTopicName);
    // Checked again after the reads, and `growing` set without an await in between (see stopMirror).
    if (!this.followsPartitions(m)) return;
    const grow = this.grow(m, destination, source);
    this.growing.set(m.mirrorTopicName, grow);
    try {
      await grow;
    } finally {
      this.growing.delete(m.mirrorTopicName);
    }
    // Its current consumer would see the new partitions only minutes later: a new one copies them from 0.
    const replicator = this.replicators.get(m.mirrorTopicName);
    if (!replicator || (m.phase !== "mirroring" && m.phase !== "pending_stop")) return;
    try {
      await replicator.refresh();
    } catch (err) {
      await this.replicatorDown(m, replicator, err, 1);
    }
  }

  /** Adds the partitions as the destination's admin (a retry after a crash finds them there already). */
  private async grow(m: MirrorRecord, destination: number, source: number): Promise<void> {
    if (destination < source) {
      await this.ctx.destinationAdmin.createPartitions({
        topicPartitions: [{ topic: m.mirrorTopicName, count: source }],
      });
    }
    // The count changes (lags cover the new partitions) only once the destination serves all of them.
    const deadline = Date.now() + NEW_PARTITIONS_READY_MS;
    while ((await this.destinationEnds(m.mirrorTopicName).catch(() => new Map())).size < source) {
      if (Date.now() > deadline)
        throw new Error(`${m.mirrorTopicName}: ${source} partitions not served within ${NEW_PARTITIONS_READY_MS} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    m.numPartitions = source;
    this.ctx.save();
  }

  /**
   * Runs one offset sync cycle, or joins the one in flight. With `startedAfterMs`, only a cycle that
   * started at or after that time will do: an older one in flight is awaited first, then a new one runs.
   */
  async syncOffsets(opts: { startedAfterMs?: number } = {}): Promise<OffsetSyncResult> {
    const after = opts.startedAfterMs ?? 0;
    while (this.syncing && this.syncing.startedMs < after) await this.syncing.promise.catch(() => undefined);
    if (this.syncing) return this.syncing.promise;
    const admin = this.requireSourceAdmin();
    const topics = this.record.mirrors
      .filter((m) => m.phase === "mirroring" || m.phase === "pending_stop")
      .map((m) => ({ sourceTopic: m.sourceTopicName, mirrorTopic: m.mirrorTopicName }));
    const filters = parseGroupFilters(effectiveConfig(this.record.configs, "consumer.offset.group.filters"));
    const startedMs = Date.now();
    const promise = syncConsumerOffsets(
      { source: admin, destination: this.ctx.destinationAdmin, committer: this.ctx.committer },
      filters,
      topics,
    )
      .then(
        (result) => {
          this.lastSync = result;
          this.lastSyncFailure = undefined;
          return result;
        },
        (err: unknown) => {
          this.lastSyncFailure = { atMs: Date.now(), ...taskError(err) };
          throw err;
        },
      )
      .finally(() => {
        if (this.syncing?.promise === promise) this.syncing = undefined;
      });
    this.syncing = { startedMs, promise };
    return promise;
  }

  /**
   * PENDING_STOPPED → STOPPED once every partition has lag 0 and an offset sync ran after that. Like the real
   * link, a promotion of many topics proceeds for all of them at once: one sync serves every mirror that
   * caught up, and their replicators stop side by side.
   */
  private async checkPromotions(): Promise<void> {
    if (this.checkingPromotions || this.stopped) return;
    this.checkingPromotions = true;
    try {
      if (this.state.linkState !== "ACTIVE") return;
      const pending = this.record.mirrors.filter((m) => m.phase === "pending_stop" && !m.paused);
      const caughtUp = await this.caughtUp(pending);
      if (caughtUp.length === 0) return;
      // A cycle that started before the catch-up was seen may have read older destination log ends and
      // skipped offsets the mirror held only later: only a cycle started from now on will do.
      const caughtUpAt = Date.now();
      if (effectiveConfig(this.record.configs, "consumer.offset.sync.enable") === "true")
        await this.syncOffsets({ startedAfterMs: caughtUpAt });
      await Promise.all((await this.caughtUp(caughtUp)).map((m) => this.stopMirror(m)));
    } finally {
      this.checkingPromotions = false;
    }
  }

  /**
   * Mirrors with lag 0 on every partition they have now: one gaining partitions, or whose count changed while
   * its lags were read, is not (a promotion waits for the new partitions too).
   */
  private async caughtUp(mirrors: readonly MirrorRecord[]): Promise<MirrorRecord[]> {
    const lags = await Promise.all(mirrors.map((m) => this.lags(m)));
    return mirrors.filter(
      (m, i) =>
        !this.growing.has(m.mirrorTopicName) && lags[i].length === m.numPartitions && lags[i].every((l) => l.lag === 0),
    );
  }

  private async checkHealth(): Promise<void> {
    try {
      await this.requireSourceAdmin().describeCluster();
      if (this.state.linkState !== "ACTIVE") {
        this.state = { linkState: "ACTIVE", linkError: "NO_ERROR", message: null };
        // Replicators gave up while the source was away: start them again.
        for (const m of this.record.mirrors) {
          if ((m.phase === "mirroring" || m.phase === "pending_stop") && !this.replicators.has(m.mirrorTopicName)) {
            await this.startReplicator(m);
          }
        }
      }
    } catch (err) {
      this.markSourceFailure(err);
    }
  }

  private markSourceFailure(err: unknown): void {
    const bootstrap = effectiveConfig(this.record.configs, "bootstrap.servers") ?? "(unset)";
    const failure = classifySourceError(err, bootstrap, sourcePrincipal(this.record.configs));
    this.state = {
      linkState: failure.linkError === "AUTHENTICATION_ERROR" ? "FAILED" : "UNAVAILABLE",
      linkError: failure.linkError,
      message: failure.message,
    };
  }

  private requireSourceAdmin(): Admin {
    if (!this.sourceAdmin) throw new RestError(500, 50003, `Cluster link '${this.name}' is not running.`);
    return this.sourceAdmin;
  }

  private async sourceEnds(topic: string): Promise<Map<number, number>> {
    try {
      const ends = new Map(
        (await this.requireSourceAdmin().fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]),
      );
      this.lastSourceEnds.set(topic, ends);
      return ends;
    } catch {
      return this.lastSourceEnds.get(topic) ?? new Map();
    }
  }

  private async destinationEnds(topic: string): Promise<Map<number, number>> {
    return new Map(
      (await this.ctx.destinationAdmin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]),
    );
  }
}

/** A topic's partition count, from fresh metadata. */
async function partitionCount(admin: Admin, topic: string): Promise<number> {
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  return meta.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
}
