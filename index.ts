import * as pulumi from "@pulumi/pulumi";
import { readStackConfig } from "./config";
import { ConfluentDestination, MigrationGroup, MigrationGroupSummary, SourceBroker, routeTargets, sourceBrokers } from "./components";

// Validate every key before declaring anything: a bad value fails preview with the key and the fix.
const config = readStackConfig();

// The source's brokers: from config, or read from MSK by name (the link's bootstrap and the Gateway's node ids).
const source = sourceBrokers(config.source.location);

// In create mode the destination declares its network before its cluster (see AwsNetworking).
const destination = new ConfluentDestination("destination", { config: config.destination, groups: config.groups, topicPrefix: config.link.prefix });

const routes = routeTargets(config.gateway, config.groups);
const groups = config.groups.map((g, i) => new MigrationGroup(g.name, { config: g, route: routes[i] }));

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
export const clusterLinkName = config.link.name;
