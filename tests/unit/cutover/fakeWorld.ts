/**
 * A fake of everything the cutover sequence touches — the Kubernetes API around the Gateway (its CR, its
 * Deployment, its pods and what each pod serves), the link's mirrors, both clusters' offsets — recording
 * what was done, in order, so tests can assert ordering and compensation. The real LiveRoute runs on it.
 *
 * What clients get is what the pods serve, not what the CR says: a pod that has not reloaded (lagging),
 * or one terminating after a roll, keeps serving its old config, and if that config leads unfenced to the
 * source, the group's producers keep writing there.
 */
import type { Mirror, MirrorActionResult } from "../../../clients/clusterLinkRest";
import type { KubeObject, ProxyAnswer } from "../../../clients/kubernetes";
import { DEFAULT_FENCE_ERROR_CODE, RouteSpec } from "../../../components/gatewaySpec";
import type { GatewayApi } from "../../../dynamic/cutover/gatewayPods";
import type { CutoverInputs } from "../../../dynamic/cutover/inputs";
import { LiveRoute } from "../../../dynamic/cutover/liveRoute";
import type { OffsetReader } from "../../../dynamic/cutover/offsets";
import { memoryProgress } from "../../../dynamic/cutover/progress";
import type { CutoverContext } from "../../../dynamic/cutover/sequence";
import { Timeline } from "../../../dynamic/cutover/timeline";

const route = (domain: string, auth: "passthrough" | "swap"): RouteSpec => ({
  name: "orders",
  endpoint: "gw:9092",
  brokerIdentificationStrategy: { type: "port" },
  streamingDomain: { name: domain, bootstrapServerId: domain === "msk" ? "SOURCE" : "DESTINATION" },
  security: { auth },
});
export const SOURCE_ROUTE = route("msk", "passthrough");
export const DESTINATION_ROUTE = route("cc", "swap");
const REQUIRED_SECRETS = ["gw-store-config", "gw-swap-credentials", "gw-plain-jaas"];

export function inputs(overrides: Partial<CutoverInputs> = {}): CutoverInputs {
  const access = {
    bootstrap: "b:9092",
    securityProtocol: "SASL_SSL",
    mechanism: "PLAIN",
    username: "u",
    password: "p",
  };
  return {
    group: "orders",
    requested: true,
    resourceUrn: "urn:x",
    topics: { orders: "orders", refunds: "refunds" },
    consumerGroups: ["billing"],
    lagThreshold: 10,
    timeouts: { readinessMs: 300, fenceMs: 300, promoteMs: 300, switchMs: 300, fenceVerifyMs: 20 },
    fence: { errorCode: DEFAULT_FENCE_ERROR_CODE },
    link: { name: "l", restEndpoint: "http://x", clusterId: "lkc-1", apiKey: "k", apiSecret: "s" },
    source: access,
    destination: access,
    gateway: {
      kubeconfig: "",
      namespace: "ns",
      name: "gw",
      sourceRoute: SOURCE_ROUTE,
      destinationRoute: DESTINATION_ROUTE,
      requiredSecrets: REQUIRED_SECRETS,
      hotReload: true,
    },
    ...overrides,
  };
}

/** One Gateway pod as the fake Kubernetes API lists it and as its `GET :9180/config` answers. */
export interface FakePod {
  name: string;
  ready: boolean;
  terminating: boolean;
  /** The config it serves. */
  configId: string | null;
  /** Proxy reads before it picks up the accepted config (Infinity: it never reloads). */
  lagReads: number;
  /** The pods proxy answers 503 for it (it still serves its clients). */
  unreachable: boolean;
  /** Terminating: pod-list reads before it is gone (Infinity: never). */
  goneAfterReads: number;
}

let podSerial = 0;
function pod(configId: string | null): FakePod {
  const suffix = (podSerial++).toString(36).padStart(5, "x");
  return {
    name: `gw-7d9f-${suffix}`,
    ready: true,
    terminating: false,
    configId,
    lagReads: 0,
    unreachable: false,
    goneAfterReads: Infinity,
  };
}

export class FakeWorld {
  readonly events: string[] = [];
  /** Every configId the cutover applied, in order. */
  readonly appliedConfigIds: string[] = [];
  /** The CR: its spec's route and configId, its generation and what the operator reports. */
  private specRoute: RouteSpec = SOURCE_ROUTE;
  configId = "kc-initial";
  generation = 1;
  observedGeneration = 1;
  condition?: { status: "True" | "False"; reason: string; message: string };
  /** The configs the operator accepted, by configId: what a pod serving that configId does. */
  private readonly configs = new Map<string | null, RouteSpec>([["kc-initial", SOURCE_ROUTE]]);
  private accepted: string | null = "kc-initial";
  /** `spec.hotReload.enabled`: false makes every accepted change roll the pods. */
  hotReload = true;
  pods: FakePod[] = [pod("kc-initial"), pod("kc-initial"), pod("kc-initial")];
  deployment = { generation: 1, observedGeneration: 1, replicas: 3 };
  /** Deployment reads that still show a rollout in progress. */
  rolloutReads = 0;
  /** Set to make the Gateway reject the next apply. */
  rejectNextApply = false;
  mirrors = new Map<string, { status: Mirror["mirror_status"]; lag: number }>([
    ["orders", { status: "ACTIVE", lag: 0 }],
    ["refunds", { status: "ACTIVE", lag: 0 }],
  ]);
  /** Lag the mirrors report until the route is fenced (then it drains). */
  lagUntilFenced = 0;
  sourceLogEnd: Record<string, number> = { orders: 100, refunds: 50 };
  /**
   * A promoted mirror's log end on the destination, frozen at its promotion; unset: the mirror holds all the
   * source has (an ACTIVE mirror at lag 0, or one promoted with nothing written to the source since).
   */
  destinationLogEnd: Record<string, number> = {};
  /** Mirrors the link keeps PENDING_STOPPED however often it is asked (it never finishes their promotion). */
  stuckPendingStopped = new Set<string>();
  /** When true, the source keeps growing after the fence: a producer bypasses the Gateway. */
  bypassingProducer = false;
  /** Records a client writes straight to the source when the mirrors are promoted (per topic). */
  sourceWritesAtPromotion: Record<string, number> = {};
  /** Records a client writes straight to the source when the switch is applied (per topic). */
  sourceWritesAtSwitch: Record<string, number> = {};
  sourceCommitted: Record<string, number> = { orders: 90 };
  destinationCommitted: Record<string, number> = {};
  /** When true, the offset sync never copies offsets. */
  offsetSyncBroken = false;
  promoteError?: string;
  /**
   * Per-topic answers of `:promote` that differ from success, as after a race: the mirror takes `status`
   * (e.g. promoted by a concurrent run) and the answer carries the error.
   */
  promoteAnswers = new Map<string, { error_code: number; error_message: string; status?: Mirror["mirror_status"] }>();
  /** A Secret someone deletes while the route is fenced. */
  loseSecretWhenFenced?: string;
  /** Set to give the group a canary; it finds its record on the destination only through an open route to it. */
  canary?: { loginRefused?: boolean };
  /** The Secrets that exist in the Gateway's namespace; the operator rejects a swap route to cc without them. */
  secrets = new Set<string>(REQUIRED_SECRETS);

  /** The group's route as the CR's spec holds it. */
  get route(): RouteSpec {
    return this.specRoute;
  }

  /** Starts the world with `r` in the spec and served by every pod (a state a previous run left). */
  set route(r: RouteSpec) {
    this.specRoute = r;
    this.configId = `kc-set-${this.generation}`;
    this.configs.set(this.configId, r);
    this.accepted = this.configId;
    this.condition = undefined;
    for (const p of this.pods) p.configId = this.configId;
  }

  /** The routes clients get: those of the configs served by pods that take traffic (Ready or terminating). */
  servedRoutes(): RouteSpec[] {
    return this.pods
      .filter((p) => p.ready || p.terminating)
      .map((p) => this.configs.get(p.configId))
      .filter((r): r is RouteSpec => r !== undefined);
  }

  private get fenced(): boolean {
    const served = this.servedRoutes();
    return served.length > 0 && served.every((r) => r.fence !== undefined);
  }

  /**
   * Some pod lets the group's producers write to the source after the CR stopped asking for that (fenced,
   * or switched). Before the fence they write there too, but the fake counts only what matters: writes the
   * cutover must not miss.
   */
  private get leaking(): boolean {
    const open = (r: RouteSpec) => !r.fence && r.streamingDomain.name === "msk";
    return !open(this.specRoute) && this.servedRoutes().some(open);
  }

  /** The Kubernetes API around the Gateway, as LiveRoute calls it. */
  api(): GatewayApi {
    const cr = (): KubeObject => ({
      apiVersion: "platform.confluent.io/v1beta1",
      kind: "Gateway",
      metadata: { name: "gw", namespace: "ns", generation: this.generation },
      spec: {
        routes: [this.specRoute],
        configId: this.configId,
        replicas: this.deployment.replicas,
        hotReload: { enabled: this.hotReload },
      },
      status: {
        observedGeneration: this.observedGeneration,
        conditions: this.condition ? [{ type: "platform.confluent.io/cluster-ready", ...this.condition }] : [],
      },
    });
    const deployment = (): KubeObject => {
      const rolling = this.rolloutReads > 0;
      if (rolling) this.rolloutReads--;
      const { generation, observedGeneration, replicas } = this.deployment;
      return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "gw", generation },
        spec: { replicas },
        status: {
          observedGeneration,
          replicas: rolling ? replicas + 1 : replicas,
          updatedReplicas: rolling ? replicas - 1 : replicas,
          readyReplicas: replicas,
          availableReplicas: rolling ? replicas - 1 : replicas,
        },
      };
    };
    const api = {
      get: async (path: string) => {
        if (path.endsWith("/gateways/gw")) return cr();
        if (path.endsWith("/deployments/gw")) return deployment();
        const secret = /\/secrets\/(.+)$/.exec(path);
        if (secret && this.secrets.has(secret[1]))
          return { apiVersion: "v1", kind: "Secret", metadata: { name: secret[1] } };
        return undefined;
      },
      apply: async (_path: string, body: Record<string, unknown>) => {
        const spec = body.spec as { routes: RouteSpec[]; configId: string };
        const next = spec.routes.find((r) => r.name === "orders")!;
        this.receive(next, spec.configId);
        return cr();
      },
      list: async () => {
        for (const p of this.pods) if (p.terminating) p.goneAfterReads--;
        this.pods = this.pods.filter((p) => !p.terminating || p.goneAfterReads > 0);
        return this.pods.map((p) => ({
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            name: p.name,
            uid: `uid-${p.name}`,
            ...(p.terminating ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}),
          },
          status: { phase: "Running", conditions: [{ type: "Ready", status: p.ready ? "True" : "False" }] },
        }));
      },
      getThroughPodProxy: async (_ns: string, name: string): Promise<ProxyAnswer<unknown>> => {
        const p = this.pods.find((x) => x.name === name);
        if (!p) return { reachable: false, reason: `GET .../pods/${name}:9180/proxy/config: HTTP 404 (pod gone)` };
        if (p.lagReads > 0) p.lagReads--;
        if (p.lagReads === 0 && !p.terminating) p.configId = this.accepted;
        if (p.unreachable)
          return { reachable: false, reason: `GET .../pods/${name}:9180/proxy/config: HTTP 503 ServiceUnavailable` };
        return { reachable: true, body: { configId: p.configId, appliedAt: "2024-01-01T00:00:00Z" } };
      },
    };
    return api as unknown as GatewayApi;
  }

  /** The API server stores the change; the operator accepts or rejects it; pods reload or roll. */
  private receive(next: RouteSpec, configId: string): void {
    if (JSON.stringify(next) === JSON.stringify(this.specRoute) && configId === this.configId) return;
    this.events.push(next.fence ? "fence" : next.streamingDomain.name === "cc" ? "switch" : "unfence");
    this.appliedConfigIds.push(configId);
    this.generation++;
    this.specRoute = next;
    this.configId = configId;
    this.observedGeneration = this.generation;
    const missing = next.security.auth === "swap" ? REQUIRED_SECRETS.filter((s) => !this.secrets.has(s)) : [];
    if (this.rejectNextApply || missing.length > 0) {
      this.rejectNextApply = false;
      this.events.push("gateway-rejected");
      const message = missing.length > 0 ? `secretRef ${missing[0]} not found` : "rejected by the test";
      this.condition = { status: "False", reason: "ApplyFailed", message };
      return;
    }
    this.condition = { status: "True", reason: "Applied", message: "" };
    this.configs.set(configId, next);
    this.accepted = configId;
    if (this.hotReload) {
      for (const p of this.pods) if (!p.terminating && p.lagReads === 0) p.configId = configId;
    } else {
      // A roll: old pods terminate while still serving their open connections; new pods start on the new config.
      for (const p of this.pods) {
        p.terminating = true;
        p.ready = false;
        if (p.goneAfterReads === Infinity) p.goneAfterReads = 6; // draining outlasts the rollout
      }
      this.pods.push(...Array.from({ length: this.deployment.replicas }, () => pod(configId)));
      this.deployment.generation++;
      this.deployment.observedGeneration++;
      this.rolloutReads = 2;
    }
    if (next.fence && this.loseSecretWhenFenced) this.secrets.delete(this.loseSecretWhenFenced);
    if (next.streamingDomain.name === "cc" && !next.fence) this.writeToSource(this.sourceWritesAtSwitch);
  }

  private writeToSource(records: Record<string, number>): void {
    for (const [topic, n] of Object.entries(records)) this.sourceLogEnd[topic] += n;
  }

  private currentLag(name: string): number {
    const m = this.mirrors.get(name);
    if (!m) return 0;
    return this.fenced ? m.lag : Math.max(m.lag, this.lagUntilFenced);
  }

  private mirror(name: string): Mirror {
    const m = this.mirrors.get(name)!;
    const lag = this.currentLag(name);
    return {
      kind: "KafkaMirrorData",
      metadata: { self: "" },
      link_name: "l",
      mirror_topic_name: name,
      source_topic_name: name,
      num_partitions: 1,
      mirror_lags: [{ partition: 0, lag, last_source_fetch_offset: 0 }],
      mirror_status: m.status,
      state_time_ms: 0,
    };
  }

  rest(): CutoverContext["rest"] {
    return {
      listMirrors: async () => {
        for (const [name, m] of this.mirrors)
          if (m.status === "PENDING_STOPPED" && !this.stuckPendingStopped.has(name)) m.status = "STOPPED";
        return [...this.mirrors.keys()].map((n) => this.mirror(n));
      },
      promoteMirrors: async (_link, selector) => {
        const names = "mirror_topic_names" in selector ? (selector.mirror_topic_names ?? []) : [];
        this.events.push(`promote ${names.join(",")}`);
        if (!this.promoteError) {
          for (const n of names) this.destinationLogEnd[n] ??= this.sourceLogEnd[n];
          this.writeToSource(this.sourceWritesAtPromotion);
        }
        return names.map((n): MirrorActionResult => {
          const answer = this.promoteAnswers.get(n);
          if (answer) {
            if (answer.status) this.mirrors.get(n)!.status = answer.status;
            const { error_code, error_message } = answer;
            return { kind: "AlterMirrorsData", mirror_topic_name: n, error_code, error_message, mirror_lags: [] };
          }
          if (this.promoteError)
            return {
              kind: "AlterMirrorsData",
              mirror_topic_name: n,
              error_code: 400,
              error_message: this.promoteError,
              mirror_lags: [],
            };
          this.mirrors.get(n)!.status = "PENDING_STOPPED";
          return {
            kind: "AlterMirrorsData",
            mirror_topic_name: n,
            error_code: null,
            error_message: null,
            mirror_lags: [],
          };
        });
      },
    };
  }

  sourceAdmin(): OffsetReader {
    const reader = {
      fetchTopicOffsets: async (topic: string) => {
        // A bypassing producer, or the group's own producers through a pod that still leads to the source.
        if ((this.bypassingProducer && this.fenced) || this.leaking) this.sourceLogEnd[topic] += 1;
        return [
          { partition: 0, offset: String(this.sourceLogEnd[topic]), high: String(this.sourceLogEnd[topic]), low: "0" },
        ];
      },
      fetchOffsets: async ({ topics }: { groupId: string; topics?: string[] }) =>
        (topics ?? []).map((topic) => ({
          topic,
          partitions: [{ partition: 0, offset: String(this.sourceCommitted[topic] ?? -1), metadata: null }],
        })),
    };
    return reader as unknown as OffsetReader;
  }

  destinationAdmin(): OffsetReader {
    const reader = {
      fetchTopicOffsets: async (topic: string) => {
        // A promoted mirror keeps what it had; an active one trails the source by its lag.
        const end = String(this.destinationLogEnd[topic] ?? this.sourceLogEnd[topic] - this.currentLag(topic));
        return [{ partition: 0, offset: end, high: end, low: "0" }];
      },
      fetchOffsets: async ({ topics }: { groupId: string; topics?: string[] }) => {
        // The link's offset sync: once fenced, the next read sees the source's commits copied.
        if (this.fenced && !this.offsetSyncBroken) this.destinationCommitted = { ...this.sourceCommitted };
        return (topics ?? []).map((topic) => ({
          topic,
          partitions: [{ partition: 0, offset: String(this.destinationCommitted[topic] ?? -1), metadata: null }],
        }));
      },
    };
    return reader as unknown as OffsetReader;
  }

  /** Produce through the route, read back through it and from the destination, as canary.ts does. */
  private async probe(deadline: number): Promise<string> {
    this.events.push("canary");
    if (deadline <= Date.now()) throw new Error("no deadline left");
    if (this.canary?.loginRefused) throw new Error("producing through the route failed: SASL authentication failed");
    const served = this.servedRoutes();
    if (served.some((r) => r.fence)) throw new Error("producing through the route failed: the broker is not available");
    if (served.some((r) => r.streamingDomain.name !== "cc"))
      throw new Error("the canary record is not on the destination: the route does not lead to the destination");
    return "canary[0]@0 through the route and on the destination";
  }

  context(
    over: Partial<CutoverInputs> = {},
    aborted: () => boolean = () => false,
  ): CutoverContext & { lines: string[] } {
    const progress = memoryProgress();
    return {
      inputs: inputs(over),
      route: new LiveRoute(this.api(), "ns", "gw", "orders", progress),
      rest: this.rest(),
      source: this.sourceAdmin(),
      destination: this.destinationAdmin(),
      progress,
      timeline: new Timeline(progress),
      aborted,
      lines: progress.lines,
      ...(this.canary ? { canary: (deadline: number) => this.probe(deadline) } : {}),
    };
  }
}
