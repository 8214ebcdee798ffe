import * as pulumi from "@pulumi/pulumi";
import { readStackConfig } from "./config";
import { ConfluentDestination, MigrationGroup, MigrationGroupSummary, routeTargets } from "./components";

// Validate every key before declaring anything: a bad value fails preview with the key and the fix.
const config = readStackConfig();

const destination = new ConfluentDestination("destination", { config: config.destination });

const routes = routeTargets(config.gateway, config.groups);
const groups = config.groups.map((g, i) => new MigrationGroup(g.name, { config: g, route: routes[i] }));

/** Per group: the route endpoint client teams connect to, its topics and where it stands. */
export const migrationGroups: pulumi.Output<Record<string, MigrationGroupSummary>> = pulumi
    .all(groups.map((g) => g.summary))
    .apply((summaries) => Object.fromEntries(summaries.map((s, i) => [config.groups[i].name, s])));
export const destinationClusterId = destination.clusterId;
export const destinationBootstrap = destination.bootstrap;
export const clusterLinkName = config.link.name;
