import { GatewayOperator, READY_CONDITION } from "../operator/operator";
import { referencedSecrets } from "../operator/references";
import type { StatusWriter } from "../operator/sources";
import type { GatewayStatus } from "../operator/types";
import type { Protocol } from "../protocol/protocol";
import { formatHostPort } from "../proxy/config";
import { DataPlane, type GatewayBehaviour, type GatewayFaults } from "../proxy/gateway";
import { KubeClient } from "./client";
import { gatewaysPath, KubernetesGatewayResource, type KubeGateway } from "./gatewayResource";
import { Informer } from "./informer";
import { KubernetesPodPublisher } from "./pods";
import type { KubeSecret } from "./secrets";
import { InformerSecrets } from "./secrets";

export interface KubernetesGatewayControllerOptions {
  /** Path of the kubeconfig (server, token or client certificate, CA) of the cluster holding the Gateway CRs. */
  kubeconfig: string;
  /** Default: the kubeconfig context's namespace. */
  namespace?: string;
  context?: string;
  protocol: Protocol;
  /** Overrides of the faithful pod behaviour (replicas, reload jitter, drain, fence response). */
  behaviour?: Partial<GatewayBehaviour>;
  log?: (message: string) => void;
}

/** What one pod serves on a route. */
export interface PodRoute {
  pod: string;
  phase: string;
  configId: string | null;
  domain: string;
  fenced: boolean;
}

/** A route as it is served now, for the daemon's status endpoint. */
export interface ServedRoute {
  gateway: string;
  endpoint: string;
  /** The domain every pod serving the route leads to, or "split" while they differ. */
  domain: string;
  /** True when every pod serving the route has it fenced. */
  fenced: boolean;
  /** metadata.generation of the last Gateway config handed to the pods. */
  generation: number | null;
  pods: PodRoute[];
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
  pods: KubernetesPodPublisher;
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
      const pods = instance.dataPlane.snapshot().pods.filter((p) => p.phase === "ready" || p.phase === "terminating");
      for (const name of instance.dataPlane.routeNames()) {
        const listener = instance.dataPlane.listener(name);
        if (!listener) continue;
        const serving: PodRoute[] = pods
          .filter((p) => p.routes[name])
          .map((p) => ({ pod: p.name, phase: p.phase, configId: p.configId, ...p.routes[name] }));
        const domains = new Set(serving.map((p) => p.domain));
        out[name] = {
          gateway,
          endpoint: formatHostPort(listener.config.endpoint),
          domain: domains.size === 1 ? [...domains][0] : domains.size === 0 ? "none" : "split",
          fenced: serving.length > 0 && serving.every((p) => p.fenced),
          generation: instance.observed.appliedGeneration,
          pods: serving,
        };
      }
    }
    return out;
  }

  /** Turns fault knobs on every Gateway's data plane (tests). */
  setFaults(faults: GatewayFaults): void {
    for (const instance of this.instances.values()) instance.dataPlane.setFaults(faults);
  }

  /** Resolves when every Gateway's pods serve its latest config, none draining. */
  async waitSettled(timeoutMs = 20_000): Promise<void> {
    await this.idle();
    await Promise.all([...this.instances.values()].map((i) => i.dataPlane.waitSettled(timeoutMs)));
  }

  summaries(): GatewaySummary[] {
    return [...this.instances].map(([name, i]) => {
      const ready = i.observed.lastStatus?.conditions?.find((c) => c.type === READY_CONDITION);
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
      // The CR is gone: so are its Deployment and pods.
      await running.pods.remove().catch((err: Error) => this.log(`gateway ${name}: removing pods: ${err.message}`));
    }
    if (object && !this.instances.has(name)) await this.startInstance(resource, object.metadata.uid);
  }

  private async startInstance(resource: KubernetesGatewayResource, uid: string | undefined): Promise<void> {
    const { name } = resource;
    const pods = new KubernetesPodPublisher(this.client, this.namespace, name, this.log);
    const dataPlane = new DataPlane({
      protocol: this.opts.protocol,
      name,
      behaviour: this.opts.behaviour,
      log: this.log,
      publish: (snapshot) => pods.publish(snapshot),
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
        const ready = s.conditions?.find((c) => c.type === READY_CONDITION);
        if (ready?.status === "True") observed.appliedGeneration = s.observedGeneration ?? null;
        this.log(
          `gateway ${gateway}: generation ${s.observedGeneration} Ready=${ready?.status} ${ready?.reason}: ${ready?.message}`,
        );
        await resource.write(gateway, s);
      },
    };
    const operator = new GatewayOperator(dataPlane, resource, status, secrets, this.log);
    const instance: Instance = { uid, dataPlane, pods, operator, observed };
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
