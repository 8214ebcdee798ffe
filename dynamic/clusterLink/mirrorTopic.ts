import * as pulumi from "@pulumi/pulumi";
import { delegatingProvider } from "../delegate";

export interface MirrorTopicArgs {
  readonly restEndpoint: pulumi.Input<string>;
  readonly clusterId: pulumi.Input<string>;
  readonly apiKey: pulumi.Input<string>;
  /** Pass a secret. */
  readonly apiSecret: pulumi.Input<string>;
  /** PEM CAs the REST endpoint chains to; unset: the system trust store. */
  readonly restCaCertificates?: pulumi.Input<string>;
  readonly linkName: pulumi.Input<string>;
  readonly sourceTopicName: pulumi.Input<string>;
  /** `<link prefix><sourceTopicName>`. */
  readonly mirrorTopicName: pulumi.Input<string>;
  /** The migration group whose topic it mirrors, named when its delete is refused. */
  readonly group?: pulumi.Input<string>;
  /** The group's migration is given up (`protection.abandonGroups`): delete fails the mirror over. @default false */
  readonly abandoned?: pulumi.Input<boolean>;
}

// Only this id is serialized into the state: the module, compiled into dist/ (see delegate.ts).
const provider = delegatingProvider("dynamic/clusterLink/mirrorTopicProvider");

/**
 * A mirror topic under a cluster link, type `pulumi-nodejs:dynamic/kafka-cutover:MirrorTopic`. What each
 * lifecycle step does is at the top of `mirrorTopicProvider.ts`. In short: the cutover promotes it, and
 * a promoted (STOPPED) mirror is its settled state — no diff, no replace; deleting the resource then
 * forgets it and leaves the topic to its clients. Deleting a mirror that still mirrors is refused, unless its
 * group is abandoned: then it is failed over.
 */
export class MirrorTopic extends pulumi.dynamic.Resource {
  declare readonly mirrorTopicName: pulumi.Output<string>;
  declare readonly sourceTopicName: pulumi.Output<string>;
  /** `ACTIVE`, `PENDING_STOPPED`, `STOPPED`, … as of the last create, update or refresh. */
  declare readonly mirrorStatus: pulumi.Output<string>;
  declare readonly numPartitions: pulumi.Output<number>;

  constructor(name: string, args: MirrorTopicArgs, opts: pulumi.CustomResourceOptions = {}) {
    super(
      provider,
      name,
      { ...args, mirrorStatus: undefined, numPartitions: undefined },
      { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "apiSecret"] },
      "kafka-cutover",
      "MirrorTopic",
    );
  }
}
