import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GatewayConfig, MigrationGroupConfig, RetentionMode } from "../config";
import {
  GroupApiKey,
  OAUTH_JAAS_KEYS,
  PLAIN_JAAS_TEMPLATE,
  oauthJaasTemplate,
  swapStoreEntries,
} from "./gatewaySecrets";
import {
  GATEWAY_API_VERSION,
  GatewayClusters,
  RouteEvidence,
  gatewaySecretNames,
  gatewaySpec,
  usesSwap,
} from "./gatewaySpec";
import { LiveRoutesReader, readLiveRoutes } from "./liveGateway";
import { keepOptions } from "./protection";

export interface GatewayArgs {
  readonly config: GatewayConfig;
  readonly groups: readonly MigrationGroupConfig[];
  readonly clusters: pulumi.Input<GatewayClusters>;
  /** The destination cluster's id: OAUTHBEARER sign-ins name it as their logical cluster. */
  readonly destinationClusterId: pulumi.Input<string>;
  /**
   * Create mode: per group name, the API key the stack made for its applications; a swap group's
   * principals sign in to the destination with it (PLAIN out). @default {} (existing destination)
   */
  readonly groupKeys?: Readonly<Record<string, GroupApiKey>>;
  /** The cutovers the CR waits for, so that what Pulumi declares is the end state they reach. */
  readonly cutovers?: pulumi.Input<pulumi.Resource>[];
  /**
   * What destroy or a replacement does to the CR and its Secrets (`protection.gateway`). Clients may still
   * connect through it, and a replaced CR of the same name would be adopted by the new one and then deleted
   * with the old. @default "retain"
   */
  readonly retention?: RetentionMode;
  /**
   * Per group name, the `state` its cutover recorded. Each resolves once that cutover has run, so the live CR
   * is read after every cutover of this update; a route the live CR lacks follows it. @default {}
   */
  readonly cutoverStates?: Readonly<Record<string, pulumi.Input<string | undefined>>>;
  /** How the live routes are read (tests stand in for the cluster). @default readLiveRoutes */
  readonly readLiveRoutes?: LiveRoutesReader;
}

/**
 * The Kubernetes provider's per-resource switch for a forced server-side apply: Pulumi takes `spec.routes`
 * back from the cutover's field manager, which is safe because what it declares is what is live (see
 * `declaredRoute`).
 */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

/** What decides each group's declared route, read after the cutovers; the routes hold no credential. */
function routeEvidence(args: GatewayArgs): pulumi.Output<Record<string, RouteEvidence>> {
  const { config: gw, groups } = args;
  const read = args.readLiveRoutes ?? readLiveRoutes;
  const evidence = pulumi
    .all([gw.kubeconfig, pulumi.output(args.cutoverStates ?? {})])
    .apply(async ([kubeconfig, recorded]) => {
      const live = await read(kubeconfig, gw.namespace, gw.name);
      return Object.fromEntries(
        groups.map((g): [string, RouteEvidence] => {
          const route = live?.[g.name];
          const state = recorded[g.name];
          return [g.name, { ...(route ? { live: route } : {}), ...(state ? { recorded: state } : {}) }];
        }),
      );
    });
  // Derived from the secret kubeconfig only by reading with it: keeping it secret would hide the spec's diff.
  return pulumi.unsecret(evidence);
}

/**
 * The Gateway (a Confluent for Kubernetes `Gateway` custom resource) that every group's clients talk to:
 * both clusters as streaming domains, a route per group on the side its cutover left it (`declaredRoute`), and
 * the Secrets that auth swap reads. Declared with its own kubernetes provider from the `kubeconfig` secret.
 */
export class Gateway extends pulumi.ComponentResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kafka-cutover:index:Gateway", name, {}, opts);
    const { config: gw, groups } = args;
    const provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: gw.kubeconfig, namespace: gw.namespace, suppressHelmHookWarnings: true },
      { parent: this },
    );
    // A replaced provider (another kubeconfig) replaces every child; on the same cluster the new CR adopts the
    // object and deleting the old one would remove it. Retained, the delete only leaves the state.
    const childOpts = { parent: this, provider, ...keepOptions(args.retention ?? "retain") };
    // Credentials and the templates that carry them stay secret in inputs, outputs and state.
    const secretOpts = { ...childOpts, additionalSecretOutputs: ["data", "stringData"] };
    const secrets: pulumi.Resource[] = [];
    if (usesSwap(groups)) {
      const names = gatewaySecretNames(gw.name);
      const metadata = (secretName: string) => ({
        name: secretName,
        namespace: gw.namespace,
        labels: { "app.kubernetes.io/managed-by": "kafka-cutover" },
      });
      secrets.push(
        new k8s.core.v1.Secret(
          `${name}-store-config`,
          { metadata: metadata(names.storeConfig), stringData: { separator: "/" } },
          childOpts,
        ),
        new k8s.core.v1.Secret(
          `${name}-swap-credentials`,
          {
            metadata: metadata(names.swapCredentials),
            stringData: swapStoreEntries(gw, groups, args.groupKeys ?? {}, this),
          },
          secretOpts,
        ),
      );
      const oauth = gw.swap.clusterAuthentication === "oauth";
      const jaas = oauth
        ? pulumi.output(args.destinationClusterId).apply((clusterId) => {
            const template = oauthJaasTemplate(clusterId, gw.swap.identityPoolId);
            return Object.fromEntries(OAUTH_JAAS_KEYS.map((k) => [k, template]));
          })
        : pulumi.output({ "plain-jaas.conf": PLAIN_JAAS_TEMPLATE });
      secrets.push(
        new k8s.core.v1.Secret(
          `${name}-${oauth ? "oauth" : "plain"}-jaas`,
          { metadata: metadata(oauth ? names.oauthJaas : names.plainJaas), stringData: pulumi.secret(jaas) },
          secretOpts,
        ),
      );
    }
    const cr = new k8s.apiextensions.CustomResource(
      `${name}-cr`,
      {
        apiVersion: GATEWAY_API_VERSION,
        kind: "Gateway",
        metadata: {
          name: gw.name,
          namespace: gw.namespace,
          labels: { "app.kubernetes.io/managed-by": "kafka-cutover" },
          annotations: { [PATCH_FORCE_ANNOTATION]: "true" },
        },
        spec: pulumi
          .all([args.clusters, routeEvidence(args)])
          .apply(([clusters, evidence]) => gatewaySpec(gw, clusters, groups, evidence)),
      },
      { ...childOpts, dependsOn: [...secrets, ...(args.cutovers ?? [])] },
    );
    this.name = cr.metadata.name;
    this.namespace = cr.metadata.namespace;
    this.registerOutputs({ name: this.name, namespace: this.namespace });
  }
}
