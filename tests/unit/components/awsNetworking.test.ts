/**
 * AwsNetworking under Pulumi mocks, in preview and in up: for each networking type, the inputs given to
 * the Confluent network and to every AWS child, and the lookups made with the right arguments.
 */
import { AwsNetworking } from "../../../components";
import { CreateDestinationConfig, NetworkingType } from "../../../config";
import { createStack } from "./createConfig";
import {
  CALLER_ACCOUNT,
  CONFLUENT_ACCOUNT,
  CONFLUENT_VPC,
  DNS_DOMAIN,
  MockCloud,
  SUBNETS,
  VPC_CIDRS,
  inputsOf,
  mockCloud,
  ofType,
  settled,
  valueOf,
} from "./mockCloud";

const VPC = "vpc-0a1b2c3d4e5f60718";
const VPCE_HOST = "vpce-0abc123def4567890-k2j4h6";

async function build(
  preview: boolean,
  type: NetworkingType,
  edit?: (plain: Record<string, unknown>) => void,
): Promise<MockCloud> {
  const cloud = mockCloud(preview);
  const destination = createStack(type, edit).destination as CreateDestinationConfig;
  const networking = new AwsNetworking(
    "net",
    {
      config: destination.networking,
      region: destination.region,
      zones: destination.cluster.zones,
      environmentId: "env-7qm3",
      displayName: "orders-prod",
    },
    { transformations: [cloud.transformation] },
  );
  expect(await valueOf(networking.networkId)).toBe("n-8xk2");
  await settled(cloud);
  return cloud;
}

const invokes = (cloud: MockCloud, token: string) =>
  cloud.invoked.filter((i) => i.token === token).map((i) => i.inputs);

describe.each([false, true])("AwsNetworking (preview: %s)", (preview) => {
  describe("privatelink", () => {
    it("declares a private-DNS PrivateLink network in the cluster's zones and grants the configured account", async () => {
      const cloud = await build(preview, "privatelink");
      expect(inputsOf(cloud, "confluentcloud:index/network:Network")).toEqual({
        displayName: "orders-prod-network",
        cloud: "AWS",
        region: "us-east-1",
        environment: { id: "env-7qm3" },
        connectionTypes: ["PRIVATELINK"],
        zones: ["use1-az1", "use1-az2", "use1-az4"],
        dnsConfig: { resolution: "PRIVATE" },
      });
      expect(inputsOf(cloud, "confluentcloud:index/privateLinkAccess:PrivateLinkAccess")).toEqual({
        displayName: "orders-prod-access",
        aws: { account: "444455556666" },
        environment: { id: "env-7qm3" },
        network: { id: "n-8xk2" },
      });
      expect(invokes(cloud, "aws:index/getCallerIdentity:getCallerIdentity")).toEqual([]);
    });

    it("opens 443 and 9092 from every associated VPC CIDR, and puts an interface endpoint in the subnets", async () => {
      const cloud = await build(preview, "privatelink");
      expect(invokes(cloud, "aws:ec2/getVpc:getVpc")).toEqual([{ id: VPC }]);
      const sg = inputsOf(cloud, "aws:ec2/securityGroup:SecurityGroup");
      expect(sg.vpcId).toBe(VPC);
      expect(sg.ingress).toEqual(
        [443, 9092].map((port) => ({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: VPC_CIDRS })),
      );
      expect(inputsOf(cloud, "aws:ec2/vpcEndpoint:VpcEndpoint")).toEqual({
        vpcId: VPC,
        serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0f1e2d3c4b5a69788",
        vpcEndpointType: "Interface",
        subnetIds: SUBNETS,
        securityGroupIds: ["sg-0a1b2c3d4e5f60718"],
        privateDnsEnabled: false,
      });
      expect(cloud.dependsOn.get("VpcEndpoint:net")).toEqual(["PrivateLinkAccess:net"]);
    });

    it("resolves the network's domain in a private zone: a wildcard to the endpoint, one zonal wildcard per zone", async () => {
      const cloud = await build(preview, "privatelink");
      expect(inputsOf(cloud, "aws:route53/zone:Zone")).toMatchObject({ name: DNS_DOMAIN, vpcs: [{ vpcId: VPC }] });
      expect(invokes(cloud, "aws:ec2/getSubnet:getSubnet")).toEqual(SUBNETS.map((id) => ({ id })));
      const records = ofType(cloud, "aws:route53/record:Record").map((r) => r.inputs);
      for (const r of records) expect(r).toMatchObject({ zoneId: "Z0123456789ABCDEFGHIJ", type: "CNAME", ttl: 60 });
      const suffix = "vpce-svc-0f1e2d3c4b5a69788.us-east-1.vpce.amazonaws.com";
      expect(records.map((r) => [r.name, r.records])).toEqual([
        [`*.${DNS_DOMAIN}`, [`${VPCE_HOST}.${suffix}`]],
        [`*.use1-az1.${DNS_DOMAIN}`, [`${VPCE_HOST}-us-east-1a.${suffix}`]],
        [`*.use1-az2.${DNS_DOMAIN}`, [`${VPCE_HOST}-us-east-1b.${suffix}`]],
        [`*.use1-az4.${DNS_DOMAIN}`, [`${VPCE_HOST}-us-east-1c.${suffix}`]],
      ]);
    });

    it("takes the network's zones from the subnets and the account from the caller when they are not configured", async () => {
      const cloud = await build(preview, "privatelink", (plain) => {
        const dst = plain.destination as { cluster: Record<string, unknown>; networking: Record<string, unknown> };
        delete dst.cluster.zones;
        delete dst.networking.awsAccountId;
      });
      expect(inputsOf(cloud, "confluentcloud:index/network:Network").zones).toEqual([
        "use1-az1",
        "use1-az2",
        "use1-az4",
      ]);
      expect(invokes(cloud, "aws:index/getCallerIdentity:getCallerIdentity")).toHaveLength(1);
      expect(inputsOf(cloud, "confluentcloud:index/privateLinkAccess:PrivateLinkAccess").aws).toEqual({
        account: CALLER_ACCOUNT,
      });
    });
  });

  describe("peering", () => {
    it("peers Confluent's /16 with the VPC, accepts Confluent's request and routes every table to it", async () => {
      const cloud = await build(preview, "peering");
      expect(inputsOf(cloud, "confluentcloud:index/network:Network")).toMatchObject({
        connectionTypes: ["PEERING"],
        cidr: "10.10.0.0/16",
        zones: ["use1-az1", "use1-az2", "use1-az4"],
      });
      expect(inputsOf(cloud, "confluentcloud:index/peering:Peering")).toEqual({
        displayName: "orders-prod-peering",
        environment: { id: "env-7qm3" },
        network: { id: "n-8xk2" },
        aws: { account: CALLER_ACCOUNT, vpc: VPC, routes: VPC_CIDRS, customerRegion: "us-east-1" },
      });
      // The request exists only once Confluent has the Peering: the lookup comes after it, requester = Confluent's VPC.
      expect(invokes(cloud, "aws:ec2/getVpcPeeringConnection:getVpcPeeringConnection")).toEqual([
        { vpcId: CONFLUENT_VPC, peerVpcId: VPC },
      ]);
      const at = (pred: (e: MockCloud["events"][number]) => boolean) => cloud.events.findIndex(pred);
      expect(at((e) => e.kind === "invoke" && e.token.endsWith("getVpcPeeringConnection"))).toBeGreaterThan(
        at((e) => e.kind === "resource" && e.type.endsWith("Peering")),
      );
      expect(inputsOf(cloud, "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter")).toMatchObject({
        vpcPeeringConnectionId: "pcx-0a1b2c3d4e5f60718",
        autoAccept: true,
      });
      expect(ofType(cloud, "aws:ec2/route:Route").map((r) => r.inputs)).toEqual(
        ["rtb-0a01", "rtb-0a02"].map((routeTableId) => ({
          routeTableId,
          destinationCidrBlock: "10.10.0.0/16",
          vpcPeeringConnectionId: "pcx-0a1b2c3d4e5f60718",
        })),
      );
      expect(ofType(cloud, "aws:ec2/vpcEndpoint:VpcEndpoint")).toEqual([]);
    });
  });

  describe("transitgateway", () => {
    it("shares the transit gateway with Confluent's account, accepts its attachment and routes through the gateway", async () => {
      const cloud = await build(preview, "transitgateway");
      expect(inputsOf(cloud, "confluentcloud:index/network:Network")).toEqual({
        displayName: "orders-prod-network",
        cloud: "AWS",
        region: "us-east-1",
        environment: { id: "env-7qm3" },
        connectionTypes: ["TRANSITGATEWAY"],
        cidr: "10.20.0.0/16",
      });
      expect(invokes(cloud, "aws:ec2transitgateway/getTransitGateway:getTransitGateway")).toEqual([
        { id: "tgw-0a1b2c3d4e5f60718" },
      ]);
      const shareArn = "arn:aws:ram:us-east-1:444455556666:resource-share/5e6f";
      expect(inputsOf(cloud, "aws:ram/resourceShare:ResourceShare")).toEqual({
        name: "orders-prod-tgw",
        allowExternalPrincipals: true,
      });
      expect(inputsOf(cloud, "aws:ram/resourceAssociation:ResourceAssociation")).toEqual({
        resourceArn: `arn:aws:ec2:us-east-1:${CALLER_ACCOUNT}:transit-gateway/tgw-0a1b2c3d4e5f60718`,
        resourceShareArn: shareArn,
      });
      expect(inputsOf(cloud, "aws:ram/principalAssociation:PrincipalAssociation")).toEqual({
        principal: CONFLUENT_ACCOUNT,
        resourceShareArn: shareArn,
      });
      expect(inputsOf(cloud, "confluentcloud:index/transitGatewayAttachment:TransitGatewayAttachment")).toEqual({
        displayName: "orders-prod-tgw-attachment",
        environment: { id: "env-7qm3" },
        network: { id: "n-8xk2" },
        aws: { ramResourceShareArn: shareArn, transitGatewayId: "tgw-0a1b2c3d4e5f60718", routes: VPC_CIDRS },
      });
      expect(cloud.dependsOn.get("TransitGatewayAttachment:net")).toEqual([
        "ResourceAssociation:net",
        "PrincipalAssociation:net",
      ]);
      expect(inputsOf(cloud, "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter")).toMatchObject({
        transitGatewayAttachmentId: "tgw-attach-0a1b2c3d4e5f60718",
      });
      expect(ofType(cloud, "aws:ec2/route:Route").map((r) => r.inputs)).toEqual([
        { routeTableId: "rtb-0a01", destinationCidrBlock: "10.20.0.0/16", transitGatewayId: "tgw-0a1b2c3d4e5f60718" },
      ]);
      expect(cloud.dependsOn.get("Route:net-rtb-0a01")).toEqual(["VpcAttachmentAccepter:net"]);
      expect(invokes(cloud, "aws:index/getCallerIdentity:getCallerIdentity")).toEqual([]);
    });
  });
});
