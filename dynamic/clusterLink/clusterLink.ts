import * as pulumi from "@pulumi/pulumi";
import { delegatingProvider } from "../delegate";
import { LINK_SECRET_INPUTS, type LinkMechanism, type LinkSecurityProtocol } from "./linkConfigs";

/** What the program gives a cluster link; credentials as secrets. See `linkConfigs.ts` for each field. */
export interface ClusterLinkResourceArgs {
  readonly restEndpoint: pulumi.Input<string>;
  readonly clusterId: pulumi.Input<string>;
  readonly apiKey: pulumi.Input<string>;
  /** Pass a secret. */
  readonly apiSecret: pulumi.Input<string>;
  /** PEM CAs the REST endpoint chains to; unset: the system trust store. */
  readonly restCaCertificates?: pulumi.Input<string>;
  readonly linkName: pulumi.Input<string>;
  /** Unset fails `check` with how to find and set it. */
  readonly sourceClusterId: pulumi.Input<string | undefined>;
  readonly sourceBootstrap: pulumi.Input<string>;
  readonly securityProtocol: pulumi.Input<LinkSecurityProtocol>;
  readonly mechanism: pulumi.Input<LinkMechanism>;
  readonly username?: pulumi.Input<string>;
  /** Pass a secret. */
  readonly password?: pulumi.Input<string>;
  readonly certificatePem?: pulumi.Input<string>;
  /** Pass a secret. */
  readonly privateKeyPem?: pulumi.Input<string>;
  /** PEM CAs the source's brokers chain to, sent as the link's PEM truststore. */
  readonly sourceCaCertificates?: pulumi.Input<string>;
  readonly offsetSyncMs: pulumi.Input<number>;
  readonly consumerGroups: pulumi.Input<pulumi.Input<string>[]>;
  readonly aclSync: pulumi.Input<boolean>;
  readonly prefix?: pulumi.Input<string>;
  readonly configs?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The migration groups the link carries and their mirror topics, named when deleting the link is refused. */
  readonly groups?: pulumi.Input<{ name: string; mirrorTopics: string[] }[]>;
}

// Only this id is serialized into the state: the module, compiled into dist/ (see delegate.ts).
const provider = delegatingProvider("dynamic/clusterLink/linkProvider");

/**
 * A destination-initiated cluster link (Kafka REST v3), type `pulumi-nodejs:dynamic/kafka-cutover:ClusterLink`.
 * What each lifecycle step does is at the top of `linkProvider.ts`. Outputs that carry a credential
 * (`apiSecret`, `password`, `privateKeyPem`) are secret in the state whatever the caller passed.
 */
export class ClusterLink extends pulumi.dynamic.Resource {
  declare readonly linkName: pulumi.Output<string>;
  declare readonly clusterId: pulumi.Output<string>;
  /** The link's id on the destination (`cluster_link_id`). */
  declare readonly clusterLinkId: pulumi.Output<string>;
  /** `ACTIVE`, `FAILED`, `UNAVAILABLE`, `PAUSED` or `UNKNOWN`, as of the last create, update or refresh. */
  declare readonly linkState: pulumi.Output<string>;

  constructor(name: string, args: ClusterLinkResourceArgs, opts: pulumi.CustomResourceOptions = {}) {
    super(
      provider,
      name,
      { ...args, clusterLinkId: undefined, linkState: undefined },
      { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...LINK_SECRET_INPUTS] },
      "kafka-cutover",
      "ClusterLink",
    );
  }
}
