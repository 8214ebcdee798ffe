import * as aws from "@pulumi/aws";
import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import { CreateDestinationConfig, RetentionMode } from "../config";
import { declarePeering } from "./awsPeering";
import { declarePrivateLink } from "./awsPrivateLink";
import { declareTransitGateway } from "./awsTransitGateway";
import { KeepOptions, keepOptions } from "./protection";

export interface AwsNetworkingArgs {
  /** Validated `kafka-cutover:destination.networking`. */
  readonly config: CreateDestinationConfig["networking"];
  /** The AWS region of the Confluent network (and of the customer VPC). */
  readonly region: string;
  /** `destination.cluster.zones`: AWS AZ ids. Empty lets PrivateLink use the subnets' zones and Confluent choose otherwise. */
  readonly zones: readonly string[];
  /** The Confluent environment the network belongs to. */
  readonly environmentId: pulumi.Input<string>;
  /** Prefix of the display names of what this declares in Confluent Cloud and AWS. */
  readonly displayName: string;
  /**
   * What destroy or a replacement does to what this declares: clients reach the cluster through it, so it is
   * kept with the cluster (`protection.destination`). @default "retain"
   */
  readonly retention?: RetentionMode;
}

/** What the per-type helpers share: the network, the customer VPC as AWS reports it, and where to parent children. */
export interface NetworkingContext {
  readonly name: string;
  readonly parent: pulumi.Resource;
  /** Every resource the helpers declare gets these options next to `parent`. */
  readonly keep: KeepOptions;
  readonly args: AwsNetworkingArgs;
  readonly environment: { readonly id: pulumi.Input<string> };
  readonly vpc: pulumi.Output<aws.ec2.GetVpcResult>;
  /** The customer VPC's IPv4 CIDRs (all associated blocks, not only the primary). */
  readonly vpcCidrs: pulumi.Output<string[]>;
  /** The 12-digit account that owns the VPC: config, or (looked up only when asked) the stack's AWS account. */
  readonly accountId: () => pulumi.Output<string>;
  /** Declares the Confluent network with the type-specific fields; each helper calls it exactly once. */
  readonly network: (
    extra: Pick<confluentcloud.NetworkArgs, "connectionTypes" | "cidr" | "zones" | "dnsConfig">,
  ) => confluentcloud.Network;
}

/**
 * The private network between the customer VPC and the Confluent Cloud cluster, by
 * `destination.networking.type`: PrivateLink (endpoint + private DNS), VPC peering (accept + routes) or
 * Transit Gateway (RAM share + attachment + routes). The Kafka cluster is created inside `networkId`.
 */
export class AwsNetworking extends pulumi.ComponentResource {
  declare readonly networkId: pulumi.Output<string>;
  /** The network's DNS domain; the cluster's endpoints live under it. */
  declare readonly dnsDomain: pulumi.Output<string>;

  constructor(name: string, args: AwsNetworkingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kafka-cutover:index:AwsNetworking", name, {}, opts);
    const cfg = args.config;
    const vpc = aws.ec2.getVpcOutput({ id: cfg.vpcId }, { parent: this });
    const keep = keepOptions(args.retention ?? "retain");
    const ctx: NetworkingContext = {
      name,
      parent: this,
      keep,
      args,
      environment: { id: args.environmentId },
      vpc,
      vpcCidrs: vpc.apply((v) => {
        const associated = v.cidrBlockAssociations.filter((a) => a.state === "associated").map((a) => a.cidrBlock);
        return associated.length > 0 ? associated : [v.cidrBlock];
      }),
      accountId: () =>
        cfg.awsAccountId
          ? pulumi.output(cfg.awsAccountId)
          : aws.getCallerIdentityOutput({}, { parent: this }).accountId,
      network: (extra) =>
        new confluentcloud.Network(
          name,
          {
            displayName: `${args.displayName}-network`,
            cloud: "AWS",
            region: args.region,
            environment: { id: args.environmentId },
            ...extra,
          },
          { parent: this, ...keep },
        ),
    };
    const declare = { privatelink: declarePrivateLink, peering: declarePeering, transitgateway: declareTransitGateway }[
      cfg.type
    ];
    const network = declare(ctx);
    this.networkId = network.id;
    this.dnsDomain = network.dnsDomain;
    this.registerOutputs({ networkId: this.networkId, dnsDomain: this.dnsDomain });
  }
}
