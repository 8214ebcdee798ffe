import * as aws from "@pulumi/aws";
import * as confluentcloud from "@pulumi/confluentcloud";
import type { NetworkingContext } from "./awsNetworking";

/**
 * VPC peering: a PEERING network on `networking.cidr`, Confluent's peering request to the customer VPC,
 * its acceptance on the AWS side, and a route to Confluent's CIDR in every configured route table.
 */
export function declarePeering(ctx: NetworkingContext): confluentcloud.Network {
  const { name, parent, args, keep } = ctx;
  const cfg = args.config;
  const cidr = requireCidr(cfg.cidr);
  const network = ctx.network({
    connectionTypes: ["PEERING"],
    cidr,
    ...(args.zones.length > 0 ? { zones: [...args.zones] } : {}),
  });
  const peering = new confluentcloud.Peering(
    name,
    {
      displayName: `${args.displayName}-peering`,
      aws: { account: ctx.accountId(), vpc: cfg.vpcId, routes: ctx.vpcCidrs, customerRegion: args.region },
      environment: ctx.environment,
      network: { id: network.id },
    },
    { parent, ...keep },
  );
  // Confluent requests the connection from its VPC (requester) to ours (accepter); find it once it exists.
  const connection = aws.ec2.getVpcPeeringConnectionOutput(
    {
      vpcId: network.aws.apply((a) => a[0].vpc),
      peerVpcId: cfg.vpcId,
    },
    { parent, dependsOn: [peering] },
  );
  const accepter = new aws.ec2.VpcPeeringConnectionAccepter(
    name,
    {
      vpcPeeringConnectionId: connection.id,
      autoAccept: true,
      tags: { Name: `${args.displayName}-confluent` },
    },
    { parent, ...keep },
  );
  for (const routeTableId of cfg.routeTableIds) {
    new aws.ec2.Route(
      `${name}-${routeTableId}`,
      {
        routeTableId,
        destinationCidrBlock: cidr,
        // The accepter's id is the connection's: routing through it waits for the acceptance.
        vpcPeeringConnectionId: accepter.id,
      },
      { parent, ...keep },
    );
  }
  return network;
}

/** Config validation guarantees the CIDR for peering and transit gateway; this only narrows the type. */
export function requireCidr(cidr: string | undefined): string {
  if (!cidr) throw new Error("kafka-cutover:destination.networking.cidr is required for peering and transitgateway");
  return cidr;
}
