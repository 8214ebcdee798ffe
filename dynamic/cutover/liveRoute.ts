/**
 * The group's route in the live Gateway CR: read it, and change only that route (fence, unfence,
 * switch) with server-side apply under our own field manager, computed from the CR as it is now — never
 * from a snapshot taken earlier — then wait until the Gateway reports it applied.
 */
import { GATEWAY_API_VERSION, GATEWAY_PLURAL, RouteSpec, FENCE, withRoute } from "../../components/gatewaySpec";
import { KubeObject, KubernetesClient } from "../../clients/kubernetes";

export const FIELD_MANAGER = "kafka-cutover";

interface GatewayObject extends KubeObject {
  spec?: { routes?: RouteSpec[]; configId?: string } & Record<string, unknown>;
  status?: {
    observedGeneration?: number;
    configId?: string | null;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export interface RouteView {
  readonly route: RouteSpec;
  readonly fenced: boolean;
  /** Which cluster the route leads to: the domain named in it. */
  readonly domain: string;
  readonly generation: number;
}

/** What the sequence does to the route; LiveRoute does it on the real CR, tests on a fake. */
export interface RouteControl {
  read(): Promise<{ view: RouteView } | undefined>;
  apply(make: (current: RouteSpec) => RouteSpec): Promise<{ generation: number; changed: boolean }>;
  /** The route as it is, fenced. */
  fence(): Promise<{ generation: number; changed: boolean }>;
  restore(route: RouteSpec): Promise<{ generation: number; changed: boolean }>;
  waitApplied(generation: number, deadline: number, aborted: () => boolean): Promise<void>;
  /** Which of these Secrets (in the Gateway's namespace) do not exist. */
  missingSecrets(names: readonly string[]): Promise<string[]>;
}

export class LiveRoute implements RouteControl {
  constructor(
    private readonly k8s: KubernetesClient,
    readonly namespace: string,
    readonly gatewayName: string,
    readonly routeName: string,
  ) {}

  get path(): string {
    return `/apis/${GATEWAY_API_VERSION}/namespaces/${this.namespace}/${GATEWAY_PLURAL}/${this.gatewayName}`;
  }

  async read(): Promise<{ cr: GatewayObject; view: RouteView } | undefined> {
    const cr = await this.k8s.get<GatewayObject>(this.path);
    const route = cr?.spec?.routes?.find((r) => r.name === this.routeName);
    if (!cr || !route) return undefined;
    return {
      cr,
      view: {
        route,
        fenced: route.fence !== undefined,
        domain: route.streamingDomain.name,
        generation: cr.metadata.generation ?? 0,
      },
    };
  }

  /** Replaces this route (by name) in the live routes and applies; returns the generation to wait for. */
  async apply(make: (current: RouteSpec) => RouteSpec): Promise<{ generation: number; changed: boolean }> {
    const live = await this.read();
    if (!live) throw new Error(`route ${this.routeName} is not in Gateway ${this.namespace}/${this.gatewayName}`);
    const next = make(live.view.route);
    if (JSON.stringify(next) === JSON.stringify(live.view.route))
      return { generation: live.view.generation, changed: false };
    const routes = withRoute(live.cr.spec?.routes ?? [], next);
    const applied = await this.k8s.apply<GatewayObject>(
      this.path,
      {
        apiVersion: GATEWAY_API_VERSION,
        kind: "Gateway",
        metadata: { name: this.gatewayName, namespace: this.namespace },
        spec: { routes },
      },
      FIELD_MANAGER,
    );
    return { generation: applied.metadata.generation ?? 0, changed: true };
  }

  fence(): Promise<{ generation: number; changed: boolean }> {
    return this.apply((r) => ({ ...r, fence: { ...FENCE } }));
  }

  /** Back to `route` (the source side) without a fence: the rollback. */
  restore(route: RouteSpec): Promise<{ generation: number; changed: boolean }> {
    return this.apply(() => route);
  }

  async missingSecrets(names: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const name of names)
      if (!(await this.k8s.get(`/api/v1/namespaces/${this.namespace}/secrets/${name}`))) missing.push(name);
    return missing;
  }

  /**
   * Waits until the Gateway has applied `generation` (status.observedGeneration), and fails at once if it
   * reports the config rejected (a False Ready-style condition whose reason ends in Failed).
   */
  async waitApplied(generation: number, deadline: number, aborted: () => boolean): Promise<void> {
    for (;;) {
      const cr = await this.k8s.get<GatewayObject>(this.path);
      const status = cr?.status;
      const rejected = status?.conditions?.find((c) => c.status === "False" && /Failed$/.test(c.reason ?? ""));
      if (rejected && (status?.observedGeneration ?? 0) >= generation) {
        throw new Error(`the Gateway rejected generation ${generation}: ${rejected.reason}: ${rejected.message ?? ""}`);
      }
      if ((status?.observedGeneration ?? 0) >= generation && !rejected) return;
      if (aborted()) throw new Error("interrupted while waiting for the Gateway to apply the change");
      if (Date.now() > deadline)
        throw new Error(
          `the Gateway did not apply generation ${generation} in time (observed ${status?.observedGeneration ?? "none"})`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
