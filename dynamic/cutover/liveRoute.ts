/**
 * The group's route in the live Gateway CR: read it, and change only that route (fence, unfence,
 * switch) with server-side apply under our own field manager, computed from the CR as it is now — never
 * from a snapshot taken earlier, and conditional on the resourceVersion it was read at — with a fresh
 * `spec.configId`, then wait until every Gateway pod serves that configId (gatewayPods.ts).
 */
import { StepDeadlineExceeded, currentBudget, remainingMs } from "../../clients/deadline";
import { KubernetesApiError } from "../../clients/kubernetes";
import { RetryPolicy, backoffMs, defaultRetryPolicy, sleep } from "../../clients/retry";
import { GATEWAY_API_VERSION, GATEWAY_PLURAL, RouteSpec, fenceOf, withRoute } from "../../components/gatewaySpec";
import {
  GatewayApi,
  GatewayCr,
  Wanted,
  judge,
  lookAtGateway,
  newConfigId,
  rejection,
  unsafeTestSeam,
} from "./gatewayPods";
import type { Progress } from "./progress";

export const FIELD_MANAGER = "kafka-cutover";

/** How often a wait looks at the Gateway again. */
const POLL_MS = 75;

interface GatewayObject extends GatewayCr {
  spec?: GatewayCr["spec"] & { routes?: RouteSpec[] };
}

export interface RouteView {
  readonly route: RouteSpec;
  readonly fenced: boolean;
  /** Which cluster the route leads to: the domain named in it. */
  readonly domain: string;
  readonly generation: number;
  /** The CR's `spec.configId`; unset when nothing has set one yet. */
  readonly configId?: string;
}

/** Whether the Gateway's pods serve what the CR's spec says, right now. */
export interface Served {
  readonly settled: boolean;
  /** The operator refused the spec: the pods serve an older config. */
  readonly rejected?: string;
  /** "3/3 pods on kc-…", or everything that is behind. */
  readonly detail: string;
}

/** A change the cutover applied (or found already applied and served). */
export interface Applied {
  readonly generation: number;
  readonly configId?: string;
  readonly changed: boolean;
}

/** What the sequence does to the route; LiveRoute does it on the real CR, tests on a fake Kubernetes API. */
export interface RouteControl {
  read(): Promise<{ view: RouteView } | undefined>;
  /** One look at whether the pods serve the spec `view` was read from. */
  served(view: RouteView): Promise<Served>;
  apply(make: (current: RouteSpec) => RouteSpec): Promise<Applied>;
  /** The route as it is, fenced with `errorCode`. */
  fence(errorCode: string): Promise<Applied>;
  restore(route: RouteSpec): Promise<Applied>;
  /**
   * Until the Gateway serves `generation`: CR accepted, Deployment rolled out, nothing terminating, every Ready
   * pod on `configId` (unset: the spec's configId). Throws on rejection, on `aborted`, and at the deadline.
   */
  waitApplied(generation: number, deadline: number, aborted: () => boolean, configId?: string): Promise<void>;
  /** Which of these Secrets (in the Gateway's namespace) do not exist. */
  missingSecrets(names: readonly string[]): Promise<string[]>;
}

export class LiveRoute implements RouteControl {
  constructor(
    private readonly k8s: GatewayApi,
    readonly namespace: string,
    readonly gatewayName: string,
    readonly routeName: string,
    private readonly progress?: Progress,
    /** How often and how soon a read-modify-write the CR changed under is done again, within the step's deadline. */
    private readonly staleReadRetry: RetryPolicy = defaultRetryPolicy,
  ) {}

  get path(): string {
    return `/apis/${GATEWAY_API_VERSION}/namespaces/${this.namespace}/${GATEWAY_PLURAL}/${this.gatewayName}`;
  }

  async read(): Promise<{ cr: GatewayObject; view: RouteView } | undefined> {
    const cr = await this.k8s.get<GatewayObject>(this.path);
    const route = cr?.spec?.routes?.find((r) => r.name === this.routeName);
    if (!cr || !route) return undefined;
    const configId = cr.spec?.configId;
    return {
      cr,
      view: {
        route,
        fenced: route.fence !== undefined,
        domain: route.streamingDomain.name,
        generation: cr.metadata.generation ?? 0,
        ...(configId !== undefined ? { configId } : {}),
      },
    };
  }

  async served(view: RouteView): Promise<Served> {
    const look = await lookAtGateway(this.k8s, this.namespace, this.gatewayName);
    if (!look) return { settled: false, detail: `the Gateway ${this.namespace}/${this.gatewayName} does not exist` };
    const v = judge(look, { generation: view.generation, configId: view.configId ?? null });
    if (v.applied) return { settled: true, detail: v.summary };
    return {
      settled: false,
      ...(v.rejected ? { rejected: v.rejected } : {}),
      detail: v.rejected ?? `${v.summary}: ${v.behind.join("; ")}`,
    };
  }

  /**
   * Replaces this route (by name) in the live routes and applies it with a fresh configId. Nothing is applied
   * only when the route already is `make`'s result and the pods serve it; a route the spec holds but the
   * Gateway does not serve (rejected, a crash mid-rollout) is applied again, so there is a configId to wait for.
   */
  async apply(make: (current: RouteSpec) => RouteSpec): Promise<Applied> {
    // The apply carries the resourceVersion it was computed from: a write by anyone else in between is a 409,
    // and the change is computed again from the CR as it is then, never forced over theirs.
    const policy = this.staleReadRetry;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyOnce(make);
      } catch (e) {
        if (!(e instanceof KubernetesApiError && e.status === 409)) throw e;
        const what = `the Gateway ${this.namespace}/${this.gatewayName} changed between our read and our apply of route ${this.routeName}`;
        if (attempt >= policy.maxAttempts)
          throw new Error(`${what} ${attempt} times in a row (someone else keeps writing it): ${e.message}`);
        const wait = backoffMs(policy, attempt - 1);
        if (wait >= remainingMs()) throw new StepDeadlineExceeded(currentBudget()?.step ?? "", what, e.message);
        this.progress?.status(`${what}: reading it again`);
        await sleep(wait);
      }
    }
  }

  private async applyOnce(make: (current: RouteSpec) => RouteSpec): Promise<Applied> {
    const live = await this.read();
    if (!live) throw new Error(`route ${this.routeName} is not in Gateway ${this.namespace}/${this.gatewayName}`);
    const next = make(live.view.route);
    if (JSON.stringify(next) === JSON.stringify(live.view.route) && (await this.served(live.view)).settled)
      return {
        generation: live.view.generation,
        ...(live.view.configId !== undefined ? { configId: live.view.configId } : {}),
        changed: false,
      };
    const routes = withRoute(live.cr.spec?.routes ?? [], next);
    const configId = newConfigId();
    const { resourceVersion } = live.cr.metadata;
    const applied = await this.k8s.apply<GatewayObject>(
      this.path,
      {
        apiVersion: GATEWAY_API_VERSION,
        kind: "Gateway",
        metadata: {
          name: this.gatewayName,
          namespace: this.namespace,
          ...(resourceVersion !== undefined ? { resourceVersion } : {}),
        },
        spec: { routes, configId },
      },
      FIELD_MANAGER,
    );
    return { generation: applied.metadata.generation ?? 0, configId, changed: true };
  }

  fence(errorCode: string): Promise<Applied> {
    return this.apply((r) => ({ ...r, fence: fenceOf(errorCode) }));
  }

  /** Back to `route` (the source side) without a fence: the rollback. */
  restore(route: RouteSpec): Promise<Applied> {
    return this.apply(() => route);
  }

  async missingSecrets(names: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const name of names)
      if (!(await this.k8s.get(`/api/v1/namespaces/${this.namespace}/secrets/${name}`))) missing.push(name);
    return missing;
  }

  async waitApplied(generation: number, deadline: number, aborted: () => boolean, configId?: string): Promise<void> {
    if (unsafeTestSeam("skip-pod-confirmation")) return this.waitObservedOnly(generation, deadline, aborted);
    let behind: readonly string[] = [];
    const late = (want: string): Error =>
      new Error(`the Gateway did not serve generation ${generation} (${want}) in time: ${behind.join("; ")}`);
    for (;;) {
      let look: Awaited<ReturnType<typeof lookAtGateway>>;
      try {
        look = await lookAtGateway(this.k8s, this.namespace, this.gatewayName);
      } catch (e) {
        // A look the step's budget cut short: what the pods showed last is what the operator needs.
        if (e instanceof StepDeadlineExceeded && behind.length > 0) throw late(configId ?? "no configId");
        throw e;
      }
      if (!look) throw new Error(`the Gateway ${this.namespace}/${this.gatewayName} does not exist`);
      const want: Wanted = { generation, configId: configId ?? look.configId ?? null };
      const verdict = judge(look, want);
      if (verdict.applied) return;
      if (verdict.rejected) throw new Error(verdict.rejected);
      behind = verdict.behind;
      if (aborted()) throw new Error("interrupted while waiting for the Gateway to apply the change");
      if (Date.now() > deadline) throw late(want.configId ?? "no configId");
      this.progress?.status(`waiting for the Gateway: ${verdict.summary}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** The unsafe test seam: status.observedGeneration alone, which moves before any pod has reloaded. */
  private async waitObservedOnly(generation: number, deadline: number, aborted: () => boolean): Promise<void> {
    this.progress?.warn(
      "UNSAFE TEST SEAM KAFKA_CUTOVER_UNSAFE_TEST_SEAMS=skip-pod-confirmation: trusting the Gateway's status.observedGeneration alone; a pod may still serve the old config. Never set it for a real cutover",
    );
    for (;;) {
      const cr = await this.k8s.get<GatewayObject>(this.path);
      const observed = cr?.status?.observedGeneration ?? 0;
      const rejected = cr && rejection(cr);
      if (rejected && observed >= generation)
        throw new Error(`the Gateway rejected generation ${generation}: ${rejected.reason}: ${rejected.message}`);
      if (observed >= generation) return;
      if (aborted()) throw new Error("interrupted while waiting for the Gateway to apply the change");
      if (Date.now() > deadline)
        throw new Error(`the Gateway did not apply generation ${generation} in time (observed ${observed || "none"})`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}
