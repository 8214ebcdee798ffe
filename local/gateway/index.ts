import { resolveStateDir } from "../kafka/paths";
import { kafkaMessageSpecs } from "./protocol/kafkaSpecs";
import { Protocol } from "./protocol/protocol";
import type { RouteConfig } from "./proxy/config";
import { DataPlane, type GatewayBehaviour } from "./proxy/gateway";
import { GatewayOperator } from "./operator/operator";
import type { GatewaySpecSource, SecretSource, StatusWriter } from "./operator/sources";
import { KubernetesGatewayController } from "./kubernetes/controller";

export type {
  ClientMechanism,
  HostPort,
  NodeIdRange,
  RouteAuth,
  RouteConfig,
  RouteFence,
  RouteTarget,
  SwapAuth,
} from "./proxy/config";
export { parseHostPort, formatHostPort } from "./proxy/config";
export { DataPlane, FAITHFUL_BEHAVIOUR, rollReason } from "./proxy/gateway";
export type { DataPlaneSnapshot, DesiredGateway, GatewayBehaviour, GatewayFaults, PodView } from "./proxy/gateway";
export type { FenceResponse } from "./proxy/connection";
export { READY_CONDITION } from "./operator/operator";
export { BrokerPorts } from "./proxy/brokerPorts";
export { DEFAULT_SEPARATOR, FileSecretStore, secretValues } from "./auth/secretStore";
export type { SecretObject } from "./auth/secretStore";
export { SCRAM_MECHANISMS, saltPassword, scramCredentialFromPassword } from "./auth/credentials";
export type { ClusterCredentials, ScramCredential, ScramMechanism } from "./auth/credentials";
export { PLAIN_LOGIN_MODULE, PlainJaasTemplate } from "./auth/jaas";
export type { PlainLogin } from "./auth/jaas";
export { ScramVerifierStore, VERIFIERS_KEY, verifiersSecretName } from "./auth/scramVerifiers";
export type { ScramAlterResult, ScramDeletion, ScramUpsertion } from "./auth/scramVerifiers";
export { swapAuth } from "./auth/swap";
export type { ClientAuthType, SwapAuthOptions } from "./auth/swap";
export { Protocol } from "./protocol/protocol";
export { loadMessageSpecs, MessageSpecs } from "./protocol/specs";
export { kafkaMessageSpecs } from "./protocol/kafkaSpecs";
export { GatewayOperator } from "./operator/operator";
export { InMemoryGateway, InMemorySecrets } from "./operator/memory";
export { loadVerifierStore, PLAIN_JAAS_KEY, resolveGatewaySpec } from "./operator/resolve";
export type { Resolution, ResolveOptions } from "./operator/resolve";
export type { GatewaySpecSource, SecretSource, StatusWriter } from "./operator/sources";
export type {
  GatewayCondition,
  GatewayResource,
  GatewaySpec,
  GatewayStatus,
  RouteSpec,
  StreamingDomainSpec,
} from "./operator/types";
export { referencedSecrets } from "./operator/references";
export { KubernetesGatewayController } from "./kubernetes/controller";
export type { GatewaySummary, KubernetesGatewayControllerOptions, ServedRoute } from "./kubernetes/controller";
export { KubeClient, KubeApiError } from "./kubernetes/client";
export { readKubeconfig } from "./kubernetes/kubeconfig";
export type { KubeConnection } from "./kubernetes/kubeconfig";
export {
  startGatewayDaemon,
  stopGatewayDaemon,
  runningGatewayDaemon,
  gatewayDaemonStatus,
  gatewayDaemonPid,
} from "./daemon";
export type { GatewayDaemonInfo, GatewayDaemonOptions, StopGatewayDaemonResult } from "./daemon";
export type { GatewayDaemonStatus } from "./statusServer";
export { gatewayDaemonFile, gatewayDir, gatewayLogFile, gatewayPidFile } from "./paths";

export interface GatewayOptions {
  stateDir?: string;
  /** Routes to serve at once (without an operator). */
  routes?: RouteConfig[];
  /** Watch a Gateway CR here and hot-reload it (needs `status` and `secrets` too). */
  source?: GatewaySpecSource;
  status?: StatusWriter;
  secrets?: SecretSource;
  /** Overrides of the faithful pod behaviour (see GatewayBehaviour); tests name what they make kinder. */
  behaviour?: Partial<GatewayBehaviour>;
  log?: (message: string) => void;
}

export interface RunningGateway {
  stateDir: string;
  protocol: Protocol;
  dataPlane: DataPlane;
  operator?: GatewayOperator;
  stop(): Promise<void>;
}

/** Starts the gateway's data plane in this process. */
export async function startGateway(opts: GatewayOptions = {}): Promise<RunningGateway> {
  const stateDir = resolveStateDir(opts.stateDir);
  const protocol = new Protocol(await kafkaMessageSpecs(stateDir));
  const dataPlane = new DataPlane({ protocol, behaviour: opts.behaviour, log: opts.log });
  if (opts.routes) await dataPlane.apply({ routes: opts.routes, configId: null });
  let operator: GatewayOperator | undefined;
  if (opts.source) {
    if (!opts.status || !opts.secrets) throw new Error("startGateway: source needs status and secrets");
    operator = new GatewayOperator(dataPlane, opts.source, opts.status, opts.secrets, opts.log);
    await operator.start();
  }
  return {
    stateDir,
    protocol,
    dataPlane,
    operator,
    stop: async () => {
      await operator?.stop();
      await dataPlane.stop();
    },
  };
}

export interface KubernetesGatewayOptions {
  stateDir?: string;
  /** kubeconfig of the cluster holding the Gateway CRs and their Secrets. */
  kubeconfig: string;
  /** Default: the kubeconfig context's namespace. */
  namespace?: string;
  behaviour?: Partial<GatewayBehaviour>;
  log?: (message: string) => void;
  /** Resolve only once Gateways and Secrets are listed (default true). */
  waitForSync?: boolean;
}

export interface RunningKubernetesGateway {
  controller: KubernetesGatewayController;
  stop(): Promise<void>;
}

/** Serves the Gateway CRs of a namespace, watched through a kubeconfig, in this process. */
export async function startKubernetesGateway(opts: KubernetesGatewayOptions): Promise<RunningKubernetesGateway> {
  const protocol = new Protocol(await kafkaMessageSpecs(resolveStateDir(opts.stateDir)));
  const controller = new KubernetesGatewayController({
    kubeconfig: opts.kubeconfig,
    namespace: opts.namespace,
    protocol,
    behaviour: opts.behaviour,
    log: opts.log,
  });
  const synced = controller.start();
  if (opts.waitForSync ?? true) await synced;
  else synced.catch((err: Error) => opts.log?.(`gateway controller: ${err.message}`));
  return { controller, stop: () => controller.stop() };
}
