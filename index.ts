import * as pulumi from "@pulumi/pulumi";
import { assertProgramBuildCurrent } from "./dynamic/compiled";
import { readStackConfig } from "./config";
import {
  ClusterLink,
  ConfluentDestination,
  Gateway,
  MigrationGroup,
  MigrationGroupSummary,
  SourceBroker,
  destroyNote,
  sourceBrokers,
} from "./components";

// Run from dist/ (npm run build): refuse a build older than the sources beside it.
assertProgramBuildCurrent(__filename);

// Validate every key before declaring anything: a bad value fails preview with the key and the fix.
const config = readStackConfig();
// Destroy runs from the state, not the program: say in every preview and up what it would keep and why.
pulumi.log.info(destroyNote(config));

// The source's brokers: from config, or read from MSK by name (the link's bootstrap and the Gateway's node ids).
const source = sourceBrokers(config.source.location);

// In create mode the destination declares its network before its cluster (see AwsNetworking).
const destination = new ConfluentDestination("destination", {
  config: config.destination,
  groups: config.groups,
  topicPrefix: config.link.prefix,
  retention: config.protection.destination,
});

// Each TLS leg trusts its configured CA bundle, else the system trust store (create mode: Confluent's public CAs).
const destinationTls: { caCertificates?: string; restCaCertificates?: string } =
  config.destination.mode === "existing" ? config.destination : {};

// The link pulls from the source into the destination, managed with the destination's admin key; one
// mirror per group topic, offsets synced for the groups' consumer groups.
const link = new ClusterLink("link", {
  link: config.link,
  groups: config.groups,
  source: config.source,
  sourceBootstrap: source.bootstrap,
  destination: {
    restEndpoint: destination.restEndpoint,
    clusterId: destination.clusterId,
    apiKey: destination.apiKey,
    apiSecret: destination.apiSecret,
    ...(destinationTls.restCaCertificates ? { restCaCertificates: destinationTls.restCaCertificates } : {}),
  },
  abandonGroups: config.protection.abandonGroups,
});

// The cutover reads offsets straight from both clusters, as the link's user on the source and with the
// program's API key on the destination.
const sourceAuth = config.source.auth;
const sourceAccess = {
  bootstrap: source.bootstrap,
  securityProtocol: config.source.securityProtocol,
  mechanism: sourceAuth.mechanism,
  username: sourceAuth.username,
  password: sourceAuth.password,
  ...(config.source.caCertificates ? { caCertificates: config.source.caCertificates } : {}),
};
const destinationProtocol = config.destination.mode === "existing" ? config.destination.securityProtocol : "SASL_SSL";
const destinationAccess = {
  bootstrap: destination.bootstrap,
  securityProtocol: destinationProtocol,
  mechanism: "PLAIN",
  username: destination.apiKey,
  password: destination.apiSecret,
  ...(destinationTls.caCertificates ? { caCertificates: destinationTls.caCertificates } : {}),
};

// One group at a time: each cutover changes the shared Gateway CR, so they run in config order.
const groups: MigrationGroup[] = [];
for (const g of config.groups) {
  groups.push(
    new MigrationGroup(
      g.name,
      {
        config: g,
        gateway: config.gateway,
        mirrorTopics: link.mirrorNames[g.name],
        link: {
          name: link.linkName,
          restEndpoint: destination.restEndpoint,
          clusterId: destination.clusterId,
          apiKey: destination.apiKey,
          apiSecret: destination.apiSecret,
          ...(destinationTls.restCaCertificates ? { restCaCertificates: destinationTls.restCaCertificates } : {}),
        },
        source: sourceAccess,
        destination: destinationAccess,
        aclPrincipals: aclPrincipalsOf(g),
      },
      { dependsOn: [link, ...groups.slice(-1)] },
    ),
  );
  if (config.destination.mode === "existing" && !g.aclPrincipals)
    void pulumi.log.info(
      `group ${g.name}: no ACLs are carried from the source (groups[].aclPrincipals is not set); its clients need ACLs on the destination before the cutover`,
      groups[groups.length - 1],
    );
}

/**
 * Whose source ACLs a group carries, and to whom: as `aclPrincipals` says with an existing destination. Create
 * mode carries none yet: each group's service account keeps the ACLs of `appAcls` (components/clusterAcls.ts).
 */
function aclPrincipalsOf(g: (typeof config.groups)[number]): Record<string, string> | undefined {
  return config.destination.mode === "existing" && g.aclPrincipals ? { ...g.aclPrincipals } : undefined;
}

// The Gateway CR is declared after the cutovers, each route where the live CR (read then) shows it.
const gateway = new Gateway("gateway", {
  config: config.gateway,
  groups: config.groups,
  cutovers: groups.map((g) => g.cutover),
  cutoverStates: Object.fromEntries(config.groups.map((g, i) => [g.name, groups[i].cutover.state])),
  // Create mode: swap groups' principals sign in to the destination with the keys made for their apps.
  destinationClusterId: destination.clusterId,
  groupKeys: destination.groupAccess,
  retention: config.protection.gateway,
  clusters: pulumi.all([source.brokers, destination.bootstrap]).apply(([srcBrokers, dstBootstrap]) => ({
    source: {
      brokers: srcBrokers.map((b) => ({ host: b.host, port: b.port })),
      securityProtocol: config.source.securityProtocol,
    },
    destination: {
      brokers: dstBootstrap
        .split(",")
        .map((hp) => ({ host: hp.slice(0, hp.lastIndexOf(":")), port: Number(hp.slice(hp.lastIndexOf(":") + 1)) })),
      securityProtocol: destinationProtocol,
    },
  })),
});

/** Per group: the route endpoint client teams connect to, its topics and where it stands. */
export const migrationGroups: pulumi.Output<Record<string, MigrationGroupSummary>> = pulumi
  .all(groups.map((g) => g.summary))
  .apply((summaries) => Object.fromEntries(summaries.map((s, i) => [config.groups[i].name, s])));
export const sourceBootstrap: pulumi.Output<string> = source.bootstrap;
/** The source brokers (with MSK broker ids when read from MSK): the Gateway's `nodeIdRanges` come from these. */
export const sourceBrokerNodes: pulumi.Output<SourceBroker[]> = source.brokers;
export const destinationClusterId = destination.clusterId;
export const destinationBootstrap = destination.bootstrap;
export const destinationRestEndpoint = destination.restEndpoint;
/** Create mode: per group, the principal its applications use on the destination (keys stay inside the program). */
export const destinationGroupPrincipals: pulumi.Output<Record<string, string>> = pulumi
  .all(Object.entries(destination.groupAccess).map(([g, a]) => a.principal.apply((p) => [g, p] as const)))
  .apply((pairs) => Object.fromEntries(pairs));
export const clusterLinkName: pulumi.Output<string> = link.linkName;
export const gatewayName: pulumi.Output<string> = gateway.name;
/** Per group, its mirror topics on the destination (`<link.prefix><topic>`). */
export const mirrorTopics: pulumi.Output<Record<string, string[]>> = link.mirrorTopics;
