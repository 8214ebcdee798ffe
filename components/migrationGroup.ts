import * as pulumi from "@pulumi/pulumi";
import { MigrationGroupConfig } from "../config";
import { RouteTarget } from "./gatewayRoutes";

export interface MigrationGroupArgs {
    readonly config: MigrationGroupConfig;
    /** The route this group's clients use. */
    readonly route: RouteTarget;
}

/** What client teams and operators read about one group: where to connect and where it stands. */
export interface MigrationGroupSummary {
    readonly endpoint: string;
    readonly topics: readonly string[];
    readonly consumerGroups: readonly string[];
    readonly streamingDomain: string;
    readonly state: "on-source" | "cutover-requested";
}

/** A set of topics and the applications that produce and consume them, moved together. */
export class MigrationGroup extends pulumi.ComponentResource {
    declare readonly summary: pulumi.Output<MigrationGroupSummary>;

    constructor(name: string, args: MigrationGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kafka-cutover:index:MigrationGroup", name, {}, opts);
        const { config, route } = args;
        this.summary = pulumi.output<MigrationGroupSummary>({
            endpoint: route.endpoint,
            topics: [...config.topics],
            consumerGroups: [...config.consumerGroups],
            streamingDomain: route.streamingDomain,
            state: config.cutover ? "cutover-requested" : "on-source",
        });
        this.registerOutputs({ summary: this.summary });
    }
}
