import * as aws from "@pulumi/aws";
import * as confluentcloud from "@pulumi/confluentcloud";
import type { NetworkingContext } from "./awsNetworking";
import { requireCidr } from "./awsPeering";

/**
 * Transit Gateway: a TRANSITGATEWAY network on `networking.cidr`; the customer's transit gateway shared
 * with Confluent's AWS account through RAM; Confluent's attachment, accepted on the AWS side; and a route to
 * Confluent's CIDR through the transit gateway in every configured route table. The customer VPC is assumed
 * to be attached to the transit gateway already.
 */
export function declareTransitGateway(ctx: NetworkingContext): confluentcloud.Network {
  const { name, parent, args, keep } = ctx;
  const cfg = args.config;
  const cidr = requireCidr(cfg.cidr);
  if (!cfg.transitGatewayId)
    throw new Error("kafka-cutover:destination.networking.transitGatewayId is required for transitgateway");
  const transitGatewayId = cfg.transitGatewayId;
  const network = ctx.network({ connectionTypes: ["TRANSITGATEWAY"], cidr });
  const transitGateway = aws.ec2transitgateway.getTransitGatewayOutput({ id: transitGatewayId }, { parent });
  const share = new aws.ram.ResourceShare(
    name,
    {
      name: `${args.displayName}-tgw`,
      // Confluent's account is outside the customer's organization.
      allowExternalPrincipals: true,
    },
    { parent, ...keep },
  );
  const resource = new aws.ram.ResourceAssociation(
    name,
    { resourceArn: transitGateway.arn, resourceShareArn: share.arn },
    { parent, ...keep },
  );
  const principal = new aws.ram.PrincipalAssociation(
    name,
    {
      principal: network.aws.apply((a) => a[0].account),
      resourceShareArn: share.arn,
    },
    { parent, ...keep },
  );
  const attachment = new confluentcloud.TransitGatewayAttachment(
    name,
    {
      displayName: `${args.displayName}-tgw-attachment`,
      aws: { ramResourceShareArn: share.arn, transitGatewayId, routes: ctx.vpcCidrs },
      environment: ctx.environment,
      network: { id: network.id },
    },
    { parent, ...keep, dependsOn: [resource, principal] },
  );
  const accepter = new aws.ec2transitgateway.VpcAttachmentAccepter(
    name,
    {
      transitGatewayAttachmentId: attachment.aws.apply((a) => {
        if (!a?.transitGatewayAttachmentId) throw new Error("Confluent reported no transit gateway attachment id");
        return a.transitGatewayAttachmentId;
      }),
      tags: { Name: `${args.displayName}-confluent` },
    },
    { parent, ...keep },
  );
  for (const routeTableId of cfg.routeTableIds) {
    new aws.ec2.Route(
      `${name}-${routeTableId}`,
      { routeTableId, destinationCidrBlock: cidr, transitGatewayId },
      { parent, ...keep, dependsOn: [accepter] },
    );
  }
  return network;
}
