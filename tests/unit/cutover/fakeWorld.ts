/**
 * A fake of everything the cutover sequence touches — the Gateway route, the link's mirrors, both
 * clusters' offsets — recording what was done, in order, so tests can assert ordering and compensation.
 */
import type { Mirror, MirrorActionResult } from "../../../clients/clusterLinkRest";
import { FENCE, RouteSpec } from "../../../components/gatewaySpec";
import type { CutoverInputs } from "../../../dynamic/cutover/inputs";
import type { RouteControl, RouteView } from "../../../dynamic/cutover/liveRoute";
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
    timeouts: { readinessMs: 300, fenceMs: 300, promoteMs: 300, switchMs: 300 },
    fenceVerifyMs: 20,
    link: { name: "l", restEndpoint: "http://x", clusterId: "lkc-1", apiKey: "k", apiSecret: "s" },
    source: access,
    destination: access,
    gateway: {
      kubeconfig: "",
      namespace: "ns",
      name: "gw",
      sourceRoute: SOURCE_ROUTE,
      destinationRoute: DESTINATION_ROUTE,
      requiredSecrets: ["gw-store-config", "gw-swap-credentials", "gw-plain-jaas"],
    },
    ...overrides,
  };
}

export class FakeWorld {
  readonly events: string[] = [];
  route: RouteSpec = SOURCE_ROUTE;
  generation = 1;
  /** Set to make the Gateway reject the next apply. */
  rejectNextApply = false;
  mirrors = new Map<string, { status: Mirror["mirror_status"]; lag: number }>([
    ["orders", { status: "ACTIVE", lag: 0 }],
    ["refunds", { status: "ACTIVE", lag: 0 }],
  ]);
  /** Lag the mirrors report until the route is fenced (then it drains). */
  lagUntilFenced = 0;
  sourceLogEnd: Record<string, number> = { orders: 100, refunds: 50 };
  /** When true, the source keeps growing after the fence: a producer bypasses the Gateway. */
  bypassingProducer = false;
  sourceCommitted: Record<string, number> = { orders: 90 };
  destinationCommitted: Record<string, number> = {};
  /** When true, the offset sync never copies offsets. */
  offsetSyncBroken = false;
  promoteError?: string;
  /** A Secret someone deletes while the route is fenced. */
  loseSecretWhenFenced?: string;
  /** Set to give the group a canary; it finds its record on the destination only through an open route to it. */
  canary?: { loginRefused?: boolean };
  /** The Secrets that exist in the Gateway's namespace. */
  secrets = new Set<string>(["gw-store-config", "gw-swap-credentials", "gw-plain-jaas"]);

  private get fenced(): boolean {
    return this.route.fence !== undefined;
  }

  control(): RouteControl {
    const view = (): RouteView => ({
      route: this.route,
      fenced: this.fenced,
      domain: this.route.streamingDomain.name,
      generation: this.generation,
    });
    const apply = async (make: (r: RouteSpec) => RouteSpec) => {
      const next = make(this.route);
      if (JSON.stringify(next) === JSON.stringify(this.route)) return { generation: this.generation, changed: false };
      this.events.push(next.fence ? "fence" : next.streamingDomain.name === "cc" ? "switch" : "unfence");
      this.generation++;
      if (this.rejectNextApply) {
        this.rejectNextApply = false;
        this.events.push("gateway-rejected");
        return { generation: -this.generation, changed: true };
      }
      this.route = next;
      if (next.fence && this.loseSecretWhenFenced) this.secrets.delete(this.loseSecretWhenFenced);
      return { generation: this.generation, changed: true };
    };
    return {
      read: async () => ({ view: view() }),
      apply,
      fence: () => apply((r) => ({ ...r, fence: { ...FENCE } })),
      restore: (r) => apply(() => r),
      waitApplied: async (generation) => {
        if (generation < 0) throw new Error("the Gateway rejected the change: ApplyFailed");
      },
      missingSecrets: async (names) => names.filter((n) => !this.secrets.has(n)),
    };
  }

  private mirror(name: string): Mirror {
    const m = this.mirrors.get(name)!;
    const lag = this.fenced ? m.lag : Math.max(m.lag, this.lagUntilFenced);
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
        for (const m of this.mirrors.values()) if (m.status === "PENDING_STOPPED") m.status = "STOPPED";
        return [...this.mirrors.keys()].map((n) => this.mirror(n));
      },
      promoteMirrors: async (_link, selector) => {
        const names = "mirror_topic_names" in selector ? (selector.mirror_topic_names ?? []) : [];
        this.events.push(`promote ${names.join(",")}`);
        return names.map((n): MirrorActionResult => {
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
        if (this.bypassingProducer && this.fenced) this.sourceLogEnd[topic] += 1;
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
      fetchTopicOffsets: async () => [],
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
    if (this.fenced) throw new Error("producing through the route failed: the broker is not available");
    if (this.route.streamingDomain.name !== "cc")
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
      route: this.control(),
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
