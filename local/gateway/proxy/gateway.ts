import * as crypto from "node:crypto";
import type { Protocol } from "../protocol/protocol";
import type { RouteConfig } from "./config";
import type { FenceResponse } from "./connection";
import { GatewayPod, type PodConfig, type PodPhase } from "./pod";
import { RouteListener, sameListeners } from "./route";

/**
 * How the Gateway's pods behave. The defaults are the real Gateway's as far as the cutover's safety depends on
 * it (see local/gateway/README.md, "Fidelity"); anything kinder is an explicit option.
 */
export interface GatewayBehaviour {
  /** Pods when the CR sets no `spec.replicas` (3 in every published example). */
  defaultReplicas: number;
  /** Each pod hot-reloads a change after its own random delay in [min, max] ms. */
  reloadJitterMs: { min: number; max: number };
  /** A new pod's start-up time before it is Ready (plus the reload jitter). */
  podStartMs: number;
  /** How long a terminating pod keeps serving its open connections with its old config. */
  drainMs: number;
  fence: FenceResponse;
}

export const FAITHFUL_BEHAVIOUR: GatewayBehaviour = {
  defaultReplicas: 3,
  reloadJitterMs: { min: 100, max: 500 },
  podStartMs: 1_000,
  drainMs: 30_000,
  fence: { mode: "answer-at-once" },
};

/** Fault knobs a test may turn on a running data plane. */
export interface GatewayFaults {
  /** Extra hot-reload delay per pod, by position among the current pods (oldest first). */
  podLagMs?: number[];
}

/** What the operator asks the data plane to serve: one Gateway config. */
export interface DesiredGateway {
  routes: RouteConfig[];
  configId: string | null;
  /** `spec.replicas`; default GatewayBehaviour.defaultReplicas. */
  replicas?: number;
  /** `spec.hotReload.enabled`; default true. False: every change rolls the pods. */
  hotReload?: boolean;
}

export interface PodView {
  name: string;
  uid: string;
  /** The Deployment revision the pod was created from. */
  template: number;
  phase: PodPhase;
  inService: boolean;
  configId: string | null;
  configPort: number | undefined;
  routes: Record<string, { domain: string; fenced: boolean }>;
}

/** The pods as Kubernetes should show them (Deployment + Pods). */
export interface DataPlaneSnapshot {
  template: number;
  replicas: number;
  pods: PodView[];
}

export interface DataPlaneOptions {
  protocol: Protocol;
  /** The Gateway's name: pods are named after it, as a Deployment's are. */
  name?: string;
  behaviour?: Partial<GatewayBehaviour>;
  log?: (message: string) => void;
  /**
   * Makes the pods visible (Kubernetes): called on every pod change with the whole picture; a Ready pod goes
   * into the Service's endpoints only once this resolves, as traffic follows what the API server shows.
   */
  publish?: (snapshot: DataPlaneSnapshot) => Promise<void>;
}

/** Why a change rolls the pods rather than hot-reloading (KCP PR #405's matrix); undefined: it hot-reloads. */
export function rollReason(previous: PodConfig, next: PodConfig, hotReload: boolean): string | undefined {
  const before = [...previous.routes.keys()].sort().join(",");
  const after = [...next.routes.keys()].sort().join(",");
  if (before !== after) return "routes added or removed";
  for (const [name, route] of next.routes) {
    const old = previous.routes.get(name) as RouteConfig;
    if (!sameListeners(old, route)) return `route ${name}: endpoint, nodeIdRanges or TLS changed`;
  }
  if (!hotReload && (previous.configId !== next.configId || fingerprint(previous) !== fingerprint(next)))
    return "hot reload is disabled";
  return undefined;
}

function fingerprint(config: PodConfig): string {
  return JSON.stringify([...config.routes.values()]);
}

function randomBetween(min: number, max: number): number {
  return min + Math.floor(Math.random() * Math.max(0, max - min + 1));
}

/**
 * The Gateway's data plane: route listeners (the Service) in front of `replicas` pods that each apply a new
 * config on their own. A hot-reloadable change reaches each pod after its own delay; any other change rolls
 * the pods as a Deployment does, one new pod at a time: each old pod stops taking connections once a new one
 * is Ready, and serves the ones it has with the old config for the drain period before it goes.
 */
export class DataPlane {
  private readonly behaviour: GatewayBehaviour;
  private readonly log: (message: string) => void;
  private readonly listeners = new Map<string, RouteListener>();
  private pods: GatewayPod[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly reloads = new Map<GatewayPod, NodeJS.Timeout>();
  private readonly roundRobin = new Map<string, number>();
  private desired: PodConfig | undefined;
  private replicas = 0;
  private template = 0;
  private faults: GatewayFaults = {};
  private stopped = false;

  constructor(private readonly opts: DataPlaneOptions) {
    this.behaviour = { ...FAITHFUL_BEHAVIOUR, ...opts.behaviour };
    this.log = opts.log ?? (() => undefined);
  }

  setFaults(faults: GatewayFaults): void {
    this.faults = { ...faults };
  }

  /** Route names of the config the Gateway was last asked to serve. */
  routeNames(): string[] {
    return [...this.listeners.keys()];
  }

  listener(name: string): RouteListener | undefined {
    return this.listeners.get(name);
  }

  /** Open client connections of a route, over every pod. */
  openConnections(route: string): number {
    return this.pods.reduce((n, p) => n + p.openConnections(route), 0);
  }

  /** The latest config asked for, as pods will serve it once they have all applied it. */
  desiredRoute(name: string): RouteConfig | undefined {
    return this.desired?.routes.get(name);
  }

  snapshot(): DataPlaneSnapshot {
    return {
      template: this.template,
      replicas: this.replicas,
      pods: this.pods.map((p) => {
        const routes: PodView["routes"] = {};
        for (const name of p.routeNames()) {
          const r = p.routeConfig(name) as RouteConfig;
          routes[name] = { domain: r.target.domain, fenced: r.fence !== undefined };
        }
        return {
          name: p.name,
          uid: p.uid,
          template: p.template,
          phase: p.phase,
          inService: p.inService,
          configId: p.configId,
          configPort: p.configPort,
          routes,
        };
      }),
    };
  }

  /**
   * True when every pod is of the latest revision, in service, and serves the latest config, with nothing
   * draining: what a test waits for before it sends traffic.
   */
  settled(): boolean {
    const desired = this.desired;
    if (!desired) return false;
    const live = this.pods.filter((p) => p.phase !== "gone");
    return (
      live.length === this.replicas &&
      live.every((p) => p.template === this.template && p.phase === "ready" && p.inService && p.serves(desired))
    );
  }

  async waitSettled(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.settled()) {
      if (Date.now() > deadline) throw new Error(`gateway pods did not settle within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * Takes a new config. Listeners change at once (or this throws, and nothing else changes); the pods follow
   * on their own: this returns before any pod has applied it, as the real operator's reconcile does.
   */
  async apply(next: DesiredGateway): Promise<void> {
    if (this.stopped) return;
    const config: PodConfig = { routes: new Map(next.routes.map((r) => [r.name, r])), configId: next.configId };
    const replicas = next.replicas ?? this.behaviour.defaultReplicas;
    await this.syncListeners(next.routes);
    const previous = this.desired;
    this.desired = config;
    if (!previous) {
      this.template = 1;
      this.replicas = replicas;
      this.createPods(replicas);
      return;
    }
    const reason = rollReason(previous, config, next.hotReload ?? true);
    if (reason) {
      this.template += 1;
      this.replicas = replicas;
      this.log(`gateway pods: rolling to revision ${this.template} (${reason})`);
      this.rollForward();
      return;
    }
    this.scaleTo(replicas);
    for (const pod of this.current()) this.scheduleReload(pod);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const t of this.reloads.values()) clearTimeout(t);
    this.reloads.clear();
    const listeners = [...this.listeners.values()];
    this.listeners.clear();
    await Promise.all(listeners.map((l) => l.stop()));
    const pods = this.pods;
    this.pods = [];
    await Promise.all(pods.map((p) => p.stop()));
  }

  /** Pods of the latest revision that are not on their way out. */
  private current(): GatewayPod[] {
    return this.pods.filter((p) => p.template === this.template && (p.phase === "starting" || p.phase === "ready"));
  }

  private pick(route: string): GatewayPod | undefined {
    const candidates = this.pods.filter((p) => p.inService && p.phase === "ready" && p.routeConfig(route));
    if (candidates.length === 0) return undefined;
    const n = this.roundRobin.get(route) ?? 0;
    this.roundRobin.set(route, n + 1);
    return candidates[n % candidates.length];
  }

  private async syncListeners(routes: readonly RouteConfig[]): Promise<void> {
    const wanted = new Map(routes.map((r) => [r.name, r]));
    for (const [name, listener] of [...this.listeners]) {
      const next = wanted.get(name);
      if (!next || !sameListeners(listener.config, next)) {
        this.listeners.delete(name);
        await listener.stop();
      }
    }
    for (const route of routes) {
      if (this.listeners.has(route.name)) continue;
      this.listeners.set(route.name, await RouteListener.start(route, (r) => this.pick(r), this.log));
    }
  }

  private later(ms: number, fn: () => void | Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      Promise.resolve(fn()).catch((err: Error) => this.log(`gateway pods: ${err.message}`));
    }, ms);
    this.timers.add(timer);
  }

  private lagOf(pod: GatewayPod): number {
    const index = this.current().indexOf(pod);
    return index >= 0 ? (this.faults.podLagMs?.[index] ?? 0) : 0;
  }

  private jitter(): number {
    return randomBetween(this.behaviour.reloadJitterMs.min, this.behaviour.reloadJitterMs.max);
  }

  /** A pod reloads once per pending change, whatever the latest config is when its delay ends. */
  private scheduleReload(pod: GatewayPod): void {
    if (this.reloads.has(pod) || pod.phase !== "ready") return;
    const timer = setTimeout(
      () => {
        this.reloads.delete(pod);
        if (this.stopped || pod.phase !== "ready" || pod.template !== this.template || !this.desired) return;
        pod.apply(this.desired);
        this.log(`gateway pod ${pod.name}: applied ${this.desired.configId ?? "(no configId)"}`);
        void this.publish();
      },
      this.jitter() + this.lagOf(pod),
    );
    this.reloads.set(pod, timer);
  }

  private createPods(count: number): void {
    for (let i = 0; i < count; i++) {
      const pod = new GatewayPod(
        GatewayPod.newName(this.opts.name ?? "gateway", this.template),
        crypto.randomUUID(),
        this.template,
        {
          protocol: this.opts.protocol,
          fence: this.behaviour.fence,
          log: this.log,
        },
      );
      this.pods.push(pod);
      void pod.startAdmin().then(
        () => this.publish(),
        (err: Error) => this.log(`gateway pod ${pod.name}: admin endpoint: ${err.message}`),
      );
      this.later(this.behaviour.podStartMs + this.jitter(), () => this.podStarted(pod));
    }
    void this.publish();
  }

  private async podStarted(pod: GatewayPod): Promise<void> {
    if (pod.phase !== "starting" || !this.desired) return;
    // A pod of an older revision that was still starting when the next roll began starts with its own config.
    pod.apply(this.desired);
    pod.phase = "ready";
    this.log(`gateway pod ${pod.name}: ready, serving ${this.desired.configId ?? "(no configId)"}`);
    await this.publish();
    if (pod.phase === "ready") pod.inService = true;
    this.rollForward();
  }

  /**
   * One step of a Deployment's rolling update with Kubernetes' defaults (maxSurge 25% rounded up,
   * maxUnavailable 25% rounded down: one new pod at a time for 3 replicas). An old pod leaves the Service only
   * as a new one becomes Ready, so until the last old pod goes terminating, new connections reach pods of both
   * revisions. Terminating pods count toward neither bound, as in the Deployment controller.
   */
  private rollForward(): void {
    const maxSurge = Math.max(1, Math.ceil(this.replicas * 0.25));
    const minAvailable = this.replicas - Math.floor(this.replicas * 0.25);
    const fresh = this.current();
    const old = this.pods.filter(
      (p) => p.template !== this.template && (p.phase === "starting" || p.phase === "ready"),
    );
    // Old pods that never became Ready serve nobody: they go first, whatever the availability.
    for (const pod of old.filter((p) => p.phase !== "ready")) this.drain(pod);
    const oldReady = old.filter((p) => p.phase === "ready");
    let available = fresh.filter((p) => p.phase === "ready" && p.inService).length + oldReady.length;
    let oldLeft = oldReady.length;
    for (const pod of oldReady) {
      if (available - 1 < minAvailable) break;
      this.drain(pod);
      available -= 1;
      oldLeft -= 1;
    }
    const room = this.replicas + maxSurge - (fresh.length + oldLeft);
    const missing = this.replicas - fresh.length;
    if (Math.min(room, missing) > 0) this.createPods(Math.min(room, missing));
  }

  private scaleTo(replicas: number): void {
    const current = this.current();
    this.replicas = replicas;
    if (current.length < replicas) this.createPods(replicas - current.length);
    for (const pod of current.slice(replicas).reverse()) this.drain(pod);
  }

  private drain(pod: GatewayPod): void {
    pod.terminate();
    const timer = this.reloads.get(pod);
    if (timer) clearTimeout(timer);
    this.reloads.delete(pod);
    this.log(`gateway pod ${pod.name}: terminating, draining ${pod.openConnections()} connections`);
    void this.publish();
    this.later(this.behaviour.drainMs, async () => {
      await pod.stop();
      this.pods = this.pods.filter((p) => p !== pod);
      this.log(`gateway pod ${pod.name}: gone`);
      await this.publish();
    });
  }

  private async publish(): Promise<void> {
    if (this.stopped || !this.opts.publish) return;
    try {
      await this.opts.publish(this.snapshot());
    } catch (err) {
      this.log(`gateway pods: publishing to Kubernetes failed: ${(err as Error).message}`);
    }
  }
}
