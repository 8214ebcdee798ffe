import type { DataPlane } from "../proxy/gateway";
import { OAuthTokenCache } from "../auth/oauthTokens";
import type { ScramVerifierStore } from "../auth/scramVerifiers";
import { loadVerifierStore, resolveGatewaySpec } from "./resolve";
import type { GatewaySpecSource, SecretSource, StatusWriter } from "./sources";
import type { GatewayCondition, GatewayResource, GatewayStatus } from "./types";

/** The condition CFK sets on a Gateway (KCP reads it: `platform.confluent.io/cluster-ready`). */
export const READY_CONDITION = "platform.confluent.io/cluster-ready";

/**
 * Reconciles the Gateway CR into the data plane, one change at a time, and reports the outcome in status:
 * observedGeneration and the cluster-ready condition (ApplyFailed with the reasons when the spec is invalid;
 * the previous config keeps running then). Like CFK's operator it reports a change reconciled as soon as it
 * has handed it to the pods, before they apply it: only each pod's `GET /config` says what it serves.
 */
export class GatewayOperator {
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void)[] = [];
  /** SCRAM verifiers per client-credentials Secret, kept across reconciles (registrations live here). */
  private readonly verifierStores = new Map<string, ScramVerifierStore>();
  /** OAUTHBEARER out: one token per OAuth client for all pods and reconciles (the pods' log shows fetches). */
  private readonly tokens: OAuthTokenCache;

  constructor(
    private readonly dataPlane: DataPlane,
    private readonly source: GatewaySpecSource,
    private readonly status: StatusWriter,
    private readonly secrets: SecretSource,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.tokens = new OAuthTokenCache(log);
  }

  start(): Promise<void> {
    const trigger = (): void => void this.reconcileSoon();
    this.unsubscribe.push(this.source.subscribe(trigger));
    if (this.secrets.subscribe) this.unsubscribe.push(this.secrets.subscribe(trigger));
    return this.reconcileSoon();
  }

  stop(): Promise<void> {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    return this.queue;
  }

  /** Resolves when every change seen so far has been reconciled. */
  idle(): Promise<void> {
    return this.queue;
  }

  private reconcileSoon(): Promise<void> {
    this.queue = this.queue
      .then(() => this.reconcile())
      .catch((err: Error) => this.log(`gateway operator: ${err.message}`));
    return this.queue;
  }

  private async reconcile(): Promise<void> {
    const resource = this.source.current();
    if (!resource) return;
    const generation = resource.metadata.generation ?? 0;
    const resolution = resolveGatewaySpec(resource.spec, this.secrets, {
      verifiers: (ref) => this.verifiers(ref),
      tokens: this.tokens,
    });
    if (!resolution.ok) {
      await this.report(
        resource,
        generation,
        condition("False", "ApplyFailed", resolution.errors.join("; "), generation),
      );
      return;
    }
    try {
      await this.dataPlane.apply({
        routes: resolution.routes,
        configId: resource.spec.configId ?? null,
        replicas: resource.spec.replicas,
        hotReload: resource.spec.hotReload?.enabled,
      });
    } catch (err) {
      await this.report(resource, generation, condition("False", "ApplyFailed", (err as Error).message, generation));
      return;
    }
    const routes = resolution.routes
      .map((r) => `${r.name}->${r.target.domain}${r.fence ? " (fenced)" : ""}`)
      .join(", ");
    await this.report(resource, generation, condition("True", "Applied", `routes: ${routes || "none"}`, generation));
  }

  private verifiers(clientCredentialsRef: string): ScramVerifierStore {
    let store = this.verifierStores.get(clientCredentialsRef);
    if (!store)
      this.verifierStores.set(
        clientCredentialsRef,
        (store = loadVerifierStore(this.secrets, clientCredentialsRef, this.log)),
      );
    return store;
  }

  private async report(resource: GatewayResource, generation: number, ready: GatewayCondition): Promise<void> {
    const previous = resource.status?.conditions?.find((c) => c.type === READY_CONDITION);
    if (previous && previous.status === ready.status) ready.lastTransitionTime = previous.lastTransitionTime;
    const status: GatewayStatus = {
      phase: ready.status === "True" ? "RUNNING" : "FAILED",
      observedGeneration: generation,
      conditions: [ready],
    };
    await this.status.write(resource.metadata.name, status);
  }
}

function condition(
  status: "True" | "False",
  reason: string,
  message: string,
  observedGeneration: number,
): GatewayCondition {
  return {
    type: READY_CONDITION,
    status,
    reason,
    message,
    lastTransitionTime: new Date().toISOString(),
    observedGeneration,
  };
}
