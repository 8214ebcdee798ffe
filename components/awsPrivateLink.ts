import * as aws from "@pulumi/aws";
import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkingContext } from "./awsNetworking";

/** HTTPS (the cluster's REST endpoint) and Kafka (SASL_SSL) are all the endpoint has to carry. */
const PORTS = [443, 9092];

/**
 * PrivateLink: a PRIVATELINK network with private DNS, access for the customer account, an interface
 * endpoint in the configured subnets, and a private hosted zone that resolves the cluster's names to it.
 */
export function declarePrivateLink(ctx: NetworkingContext): confluentcloud.Network {
  const { name, parent, args, keep } = ctx;
  const cfg = args.config;
  // Each subnet's AZ: the zonal DNS records and (when cluster.zones is unset) the network's zones follow it.
  const subnets = cfg.subnetIds.map((id) => aws.ec2.getSubnetOutput({ id }, { parent }));
  const network = ctx.network({
    connectionTypes: ["PRIVATELINK"],
    zones: args.zones.length > 0 ? [...args.zones] : pulumi.all(subnets.map((s) => s.availabilityZoneId)),
    // PRIVATE: names resolve only through the zone below, never through public DNS.
    dnsConfig: { resolution: "PRIVATE" },
  });
  const access = new confluentcloud.PrivateLinkAccess(
    name,
    {
      displayName: `${args.displayName}-access`,
      aws: { account: ctx.accountId() },
      environment: ctx.environment,
      network: { id: network.id },
    },
    { parent, ...keep },
  );
  const securityGroup = new aws.ec2.SecurityGroup(
    name,
    {
      vpcId: cfg.vpcId,
      description: "Confluent Cloud PrivateLink endpoint: HTTPS and Kafka from the VPC",
      ingress: PORTS.map((port) => ({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ctx.vpcCidrs })),
    },
    { parent, ...keep },
  );
  const endpoint = new aws.ec2.VpcEndpoint(
    name,
    {
      vpcId: cfg.vpcId,
      serviceName: network.aws.apply((a) => a[0].privateLinkEndpointService),
      vpcEndpointType: "Interface",
      subnetIds: [...cfg.subnetIds],
      securityGroupIds: [securityGroup.id],
      // Confluent's names are served by our private zone; AWS's private DNS would not know them.
      privateDnsEnabled: false,
    },
    { parent, ...keep, dependsOn: [access] },
  );
  const zone = new aws.route53.Zone(
    name,
    {
      name: network.dnsDomain,
      vpcs: [{ vpcId: cfg.vpcId }],
      comment: "Confluent Cloud PrivateLink: cluster names resolve to the VPC endpoint",
    },
    { parent, ...keep },
  );
  const cname = (recordName: string, host: pulumi.Input<string>, fqdn: pulumi.Input<string>) =>
    new aws.route53.Record(
      recordName,
      { zoneId: zone.zoneId, name: fqdn, type: "CNAME", ttl: 60, records: [host] },
      { parent, ...keep },
    );
  // Any broker name goes to the regional endpoint name, which spreads over the zones.
  cname(
    `${name}-wildcard`,
    endpoint.dnsEntries.apply((e) => e[0].dnsName),
    pulumi.interpolate`*.${network.dnsDomain}`,
  );
  // Zonal names go to the endpoint's interface in that zone, so a client stays in its zone.
  subnets.forEach((subnet, i) => {
    const zoneId = subnet.availabilityZoneId;
    const fqdn = pulumi
      .all([network.zonalSubdomains, zoneId, pulumi.all(subnets.map((s) => s.availabilityZoneId))])
      .apply(([subdomains, az, all]) => {
        if (all.indexOf(az) !== i) {
          throw new pulumi.ResourceError(
            `kafka-cutover:destination.networking.subnetIds: ${cfg.subnetIds[i]} and ${cfg.subnetIds[all.indexOf(az)]} are both in zone ${az}; give one subnet per zone`,
            parent,
          );
        }
        const subdomain = subdomains[az];
        if (!subdomain) {
          throw new pulumi.ResourceError(
            `kafka-cutover:destination.networking.subnetIds[${i}]: ${cfg.subnetIds[i]} is in zone ${az}, which is not one of the network's zones (${Object.keys(subdomains).join(", ")}); pick subnets in those zones or set destination.cluster.zones to the subnets' zones`,
            parent,
          );
        }
        return `*.${subdomain}`;
      });
    const host = pulumi.all([endpoint.dnsEntries, subnet.availabilityZone]).apply(([entries, azName]) => {
      // AWS names the zonal entries `<endpoint>-<az name>.<service…>`.
      const entry = entries.find((e) => e.dnsName.split(".")[0].endsWith(`-${azName}`));
      if (!entry)
        throw new pulumi.ResourceError(
          `the VPC endpoint has no DNS entry for zone ${azName} (subnet ${cfg.subnetIds[i]})`,
          parent,
        );
      return entry.dnsName;
    });
    cname(`${name}-zonal-${cfg.subnetIds[i]}`, host, fqdn);
  });
  return network;
}
