import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GatewayConfig, MigrationGroupConfig } from "../config";
import { GATEWAY_API_VERSION, GatewayClusters, gatewaySecretNames, gatewaySpec, usesSwap } from "./gatewaySpec";

export interface GatewayArgs {
  readonly config: GatewayConfig;
  readonly groups: readonly MigrationGroupConfig[];
  readonly clusters: pulumi.Input<GatewayClusters>;
  /** The cutovers the CR waits for, so that what Pulumi declares is the end state they reach. */
  readonly cutovers?: pulumi.Input<pulumi.Resource>[];
}

/** The template the Gateway fills with a principal's API key and secret to sign in to the destination. */
const PLAIN_JAAS_TEMPLATE =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s";';
const OAUTH_JAAS_TEMPLATE =
  'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="%s" clientSecret="%s";';

/**
 * The Gateway (a Confluent for Kubernetes `Gateway` custom resource) that every group's clients talk to:
 * both clusters as streaming domains, a route per group pointing at the side its config asks for, and the
 * Secrets that auth swap reads. Declared with its own kubernetes provider from the `kubeconfig` secret.
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
    const childOpts = { parent: this, provider };
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
      );
      secrets.push(
        new k8s.core.v1.Secret(
          `${name}-swap-credentials`,
          {
            metadata: metadata(names.swapCredentials),
            stringData: gw.swapCredentials ? pulumi.secret(gw.swapCredentials.apply((m) => ({ ...m }))) : {},
          },
          { ...childOpts, additionalSecretOutputs: ["data", "stringData"] },
        ),
      );
      const jaas =
        gw.swap.clusterAuthentication === "oauth"
          ? new k8s.core.v1.Secret(
              `${name}-oauth-jaas`,
              { metadata: metadata(names.oauthJaas), stringData: { "oauth-jaas.conf": OAUTH_JAAS_TEMPLATE } },
              childOpts,
            )
          : new k8s.core.v1.Secret(
              `${name}-plain-jaas`,
              { metadata: metadata(names.plainJaas), stringData: { "plain-jaas.conf": PLAIN_JAAS_TEMPLATE } },
              childOpts,
            );
      secrets.push(jaas);
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
        },
        spec: pulumi.output(args.clusters).apply((clusters) => gatewaySpec(gw, clusters, groups)),
      },
      { ...childOpts, dependsOn: [...secrets, ...(args.cutovers ?? [])] },
    );
    this.name = cr.metadata.name;
    this.namespace = cr.metadata.namespace;
    this.registerOutputs({ name: this.name, namespace: this.namespace });
  }
}
