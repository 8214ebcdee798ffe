import * as pulumi from "@pulumi/pulumi";
import { DestinationConfig } from "../config";

export interface ConfluentDestinationArgs {
    /** Validated `kafka-cutover:destination`: an existing cluster to reference, or one to create. */
    readonly config: DestinationConfig;
}

/**
 * The Confluent Cloud side of the migration: the cluster the link mirrors into and the clients move to.
 * `existing` mode references a cluster by id, endpoints and API key; `create` mode (environment,
 * dedicated cluster, service accounts, keys, ACLs) is declared here too, as it lands.
 */
export class ConfluentDestination extends pulumi.ComponentResource {
    declare readonly clusterId: pulumi.Output<string>;
    declare readonly bootstrap: pulumi.Output<string>;
    declare readonly restEndpoint: pulumi.Output<string>;
    declare readonly apiKey: pulumi.Output<string>;
    /** Secret. */
    declare readonly apiSecret: pulumi.Output<string>;

    constructor(name: string, args: ConfluentDestinationArgs, opts?: pulumi.ComponentResourceOptions) {
        // `{}` to super: args hold secrets, and a component's args would be stored as its inputs.
        super("kafka-cutover:index:ConfluentDestination", name, {}, opts);
        const cfg = args.config;
        if (cfg.mode !== "existing") {
            throw new pulumi.ResourceError(
                "kafka-cutover:destination.mode 'create' is not declared by this version yet; reference an existing cluster with mode 'existing'",
                this);
        }
        this.clusterId = pulumi.output(cfg.clusterId);
        this.bootstrap = pulumi.output(cfg.bootstrap.map((b) => `${b.host}:${b.port}`).join(","));
        this.restEndpoint = pulumi.output(cfg.restEndpoint);
        this.apiKey = pulumi.output(cfg.apiKey);
        this.apiSecret = pulumi.secret(cfg.apiSecret);
        this.registerOutputs({ clusterId: this.clusterId, bootstrap: this.bootstrap, restEndpoint: this.restEndpoint });
    }
}
