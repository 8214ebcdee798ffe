/**
 * What the cutover provider receives: plain values (Pulumi resolves Outputs before calling it), with
 * credentials among them as secrets. During preview, a value that depends on a resource not yet created
 * arrives as the engine's unknown sentinel and is "checked at up".
 */
import { ClusterLinkRestClient } from "../../clients/clusterLinkRest";
import type { RouteSpec } from "../../components/gatewaySpec";
import type { CanaryInputs } from "./canary";

export interface CutoverTimeoutsInput {
  readonly readinessMs: number;
  readonly fenceMs: number;
  readonly promoteMs: number;
  readonly switchMs: number;
  /** How long source offsets must stay still after the fence for it to count as verified. */
  readonly fenceVerifyMs: number;
}

export interface CutoverInputs {
  readonly group: string;
  /** The group's config says `cutover: true`. */
  readonly requested: boolean;
  /** The resource's URN, for progress messages on it. */
  readonly resourceUrn: string;
  /** Source topic → mirror topic on the destination. */
  readonly topics: Readonly<Record<string, string>>;
  readonly consumerGroups: readonly string[];
  readonly lagThreshold: number;
  readonly timeouts: CutoverTimeoutsInput;
  /** The fence the cutover puts on the route: the Kafka error every request gets (`groups[].fence.errorCode`). */
  readonly fence: { readonly errorCode: string };
  readonly link: {
    readonly name: string;
    readonly restEndpoint: string;
    readonly clusterId: string;
    readonly apiKey: string;
    readonly apiSecret: string;
    /** PEM CAs the REST endpoint's certificate chains to; unset: the system trust store. */
    readonly restCaCertificates?: string;
  };
  readonly source: KafkaAccess;
  readonly destination: KafkaAccess;
  readonly gateway: {
    readonly kubeconfig: string;
    readonly namespace: string;
    readonly name: string;
    /** The group's route as it leads to the source, and as it will lead to the destination. */
    readonly sourceRoute: RouteSpec;
    readonly destinationRoute: RouteSpec;
    /** Secrets the destination route needs to exist before it is switched to. */
    readonly requiredSecrets: readonly string[];
    /** `gateway.hotReload`: false means every fence and switch rolls the Gateway's pods. */
    readonly hotReload: boolean;
  };
  /** After the switch, one record through the route and back (see canary.ts); unset: no canary. */
  readonly canary?: CanaryInputs;
}

/** How the provider reaches a cluster directly (not through the Gateway) to read offsets. */
export interface KafkaAccess {
  readonly bootstrap: string;
  readonly securityProtocol: string;
  readonly mechanism: string;
  readonly username: string;
  readonly password: string;
  /** PEM CAs the cluster's certificate chains to; unset: the system trust store. */
  readonly caCertificates?: string;
}

/** What the resource records: where the group stands, and when each step ran. */
export interface CutoverOutputs extends CutoverInputs {
  readonly state: CutoverState;
  readonly timeline: readonly TimelineEntry[];
  /** Fence applied → switch applied: how long the group's clients were held. */
  readonly blockedWindowMs?: number;
  /** When the blocked window opened and closed, and how much of it was spent waiting on other services. */
  readonly blockedWindow?: BlockedWindow;
  readonly completedAt?: string;
  /** Digest of the inputs without credentials (see provider.ts). */
  readonly fingerprint: string;
}

export type CutoverState = "standing-by" | "cut-over";

export interface TimelineEntry {
  readonly step: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly outcome: "done" | "skipped" | "failed" | "compensated";
  readonly detail?: string;
}

/** A service the cutover waits on: the Gateway applying a generation, or Cluster Linking (lag, offset sync, promote). */
export type WaitedOn = "gateway" | "cluster-linking";

export interface BlockedWindow {
  readonly fenceAppliedAt: string;
  readonly switchAppliedAt: string;
  readonly durationMs: number;
  /** Time inside the window spent waiting on each service; the rest is the cutover's own work. */
  readonly waitedMs: Readonly<Record<WaitedOn, number>>;
}

/** The engine's placeholder for a value not known until up (a preview of a resource not created yet). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when any part of `value` is not known yet. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** The Cluster Linking REST client for the group's link, as the provider and the preflight both use it. */
export function linkRestClient(inputs: Pick<CutoverInputs, "link">): ClusterLinkRestClient {
  return new ClusterLinkRestClient({
    restEndpoint: inputs.link.restEndpoint,
    clusterId: inputs.link.clusterId,
    apiKey: inputs.link.apiKey,
    apiSecret: inputs.link.apiSecret,
    ...(inputs.link.restCaCertificates ? { caCertificates: inputs.link.restCaCertificates } : {}),
    timeoutMs: 10_000,
  });
}
