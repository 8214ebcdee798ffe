import { GatewayOperator } from "../operator/operator";
import { referencedSecrets } from "../operator/references";
import type { StatusWriter } from "../operator/sources";
import type { GatewayStatus } from "../operator/types";
import type { Protocol } from "../protocol/protocol";
import { formatHostPort } from "../proxy/config";
import { DataPlane } from "../proxy/gateway";
import { KubeClient } from "./client";
import { gatewaysPath, KubernetesGatewayResource, type KubeGateway } from "./gatewayResource";
import { Informer } from "./informer";
import type { KubeSecret } from "./secrets";
import { InformerSecrets } from "./secrets";

export interface KubernetesGatewayControllerOptions {
  /** Path of the kubeconfig (server, token or client certificate, CA) of the cluster holding the Gateway CRs. */
  kubeconfig: string;
  /** Default: the kubeconfig context's namespace. */
  namespace?: string;
  context?: string;
  protocol: Protocol;
  fenceHoldMs?: number;
  log?: (message: string) => void;
}

/** A route as it is served now, for the daemon's status endpoint. */
export interface ServedRoute {
  gateway: string;
  endpoint: string;
  domain: string;
  fenced: boolean;
  /** metadata.generation of the Gateway config the route comes from (the last one applied). */
  generation: number | null;
}

export interface GatewaySummary {
  name: string;
  /** Last status written: observedGeneration, Ready and its reason. */
  observedGeneration: number | null;
  appliedGeneration: number | null;
  ready: string;
  reason: string;
  message: string;
}

/** What the operator last reported for one Gateway, seen as its status goes out. */
interface Observed {
  appliedGeneration: number | null;
  lastStatus: GatewayStatus | undefined;
}

interface Instance {
  uid: string | undefined;
  dataPlane: DataPlane;
  operator: GatewayOperator;
  observed: Observed;
}

/**
 * Serves every Gateway CR of a namespace, each with its own data plane and operator (as each Gateway is its
 * own deployment in Confluent for Kubernetes): a CR appearing starts one, a CR deleted (or replaced by a new
 * uid) stops its routes. Operators start only after the Secrets are listed, so a valid CR is never reported
 * ApplyFailed for a Secret the cache had not seen yet.
 */
export class KubernetesGatewayController {
  readonly client: KubeClient;
  readonly namespace: string;
  private readonly gateways: Informer<KubeGateway>;
  private readonly secrets: Informer<KubeSecret>;
  private readonly instances = new Map<string, Instance>();
  private readonly log: (message: string) => void;
  private queue: Promise<void> = Promise.resolve();
  private ready = false;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly opts: KubernetesGatewayControllerOptions) {
    this.log = opts.log ?? (() => undefined);
    this.client = new KubeClient(opts.kubeconfig, opts.context);
    this.namespace = opts.namespace ?? this.client.namespace;
    this.gateways = new Informer<KubeGateway>(this.client, gatewaysPath(this.namespace), this.log);
    this.secrets = new Informer<KubeSecret>(
      this.client,
      `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets`,
      this.log,
    );
  }

  get synced(): boolean {
    return this.ready;
  }

  /** Starts watching; resolves once Gateways and Secrets have been listed (retrying until the API answers). */
  async start(): Promise<void> {
    this.unsubscribe = this.gateways.subscribe((event) => {
      if (this.ready) this.enqueue(event.object.metadata.name);
    });
    this.gateways.start();
    this.secrets.start();
    await Promise.all([this.gateways.waitForSync(), this.secrets.waitForSync()]);
    if (this.stopped) return;
    this.ready = true;
    for (const gateway of this.gateways.list()) this.enqueue(gateway.metadata.name);
    await this.queue;
  }

  /** Resolves when every change seen so far has been handled and reconciled. */
  async idle(): Promise<void> {
    await this.queue;
    await Promise.all([...this.instances.values()].map((i) => i.operator.idle()));
  }

  routes(): Record<string, ServedRoute> {
    const out: Record<string, ServedRoute> = {};
    for (const [gateway, instance] of this.instances) {
      for (const name of instance.dataPlane.routeNames()) {
        const config = instance.dataPlane.route(name)?.config;
        if (!config) continue;
        out[name] = {
          gateway,
          endpoint: formatHostPort(config.endpoint),
          domain: config.target.domain,
          fenced: config.fence !== undefined,
          generation: instance.observed.appliedGeneration,
        };
      }
    }
    return out;
  }

  summaries(): GatewaySummary[] {
    return [...this.instances].map(([name, i]) => {
      const ready = i.observed.lastStatus?.conditions?.find((c) => c.type === "Ready");
      return {
        name,
        observedGeneration: i.observed.lastStatus?.observedGeneration ?? null,
        appliedGeneration: i.observed.appliedGeneration,
        ready: ready?.status ?? "Unknown",
        reason: ready?.reason ?? "",
        message: ready?.message ?? "",
      };
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await Promise.all([this.gateways.stop(), this.secrets.stop()]);
    await this.queue;
    for (const [name, instance] of [...this.instances]) {
      this.instances.delete(name);
      await this.stopInstance(name, instance);
    }
    this.client.close();
  }

  private enqueue(name: string): void {
    this.queue = this.queue
      .then(() => this.sync(name))
      .catch((err: Error) => this.log(`gateway ${name}: ${err.message}`));
  }

  private async sync(name: string): Promise<void> {
    if (this.stopped) return;
    const resource = new KubernetesGatewayResource(this.client, this.gateways, this.namespace, name, this.log);
    const object = resource.current();
    const running = this.instances.get(name);
    if (running && (!object || object.metadata.uid !== running.uid)) {
      this.instances.delete(name);
      await this.stopInstance(name, running);
    }
    if (object && !this.instances.has(name)) await this.startInstance(resource, object.metadata.uid);
  }

  private async startInstance(resource: KubernetesGatewayResource, uid: string | undefined): Promise<void> {
    const { name } = resource;
    const dataPlane = new DataPlane({
      protocol: this.opts.protocol,
      fenceHoldMs: this.opts.fenceHoldMs,
      log: this.log,
    });
    const secrets = new InformerSecrets(
      this.secrets,
      () => referencedSecrets(resource.current()?.spec),
      this.client,
      this.namespace,
    );
    const observed: Observed = { appliedGeneration: null, lastStatus: undefined };
    const status: StatusWriter = {
      write: async (gateway, s) => {
        observed.lastStatus = s;
        const ready = s.conditions?.find((c) => c.type === "Ready");
        if (ready?.status === "True") observed.appliedGeneration = s.observedGeneration ?? null;
        this.log(
          `gateway ${gateway}: generation ${s.observedGeneration} Ready=${ready?.status} ${ready?.reason}: ${ready?.message}`,
        );
        await resource.write(gateway, s);
      },
    };
    const operator = new GatewayOperator(dataPlane, resource, status, secrets, this.log);
    const instance: Instance = { uid, dataPlane, operator, observed };
    this.instances.set(name, instance);
    this.log(`gateway ${name}: watching (uid ${uid ?? "?"})`);
    await operator.start();
  }

  private async stopInstance(name: string, instance: Instance): Promise<void> {
    await instance.operator.stop();
    await instance.dataPlane.stop();
    this.log(`gateway ${name}: routes stopped`);
  }
}
