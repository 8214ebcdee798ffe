import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import {
  CreateDestinationConfig,
  DestinationConfig,
  ExistingDestinationConfig,
  MigrationGroupConfig,
  RetentionMode,
} from "../config";
import { AwsNetworking } from "./awsNetworking";
import { ServiceAccess, declareClusterAccess, serviceAccountNames } from "./clusterAccess";
import { keepOptions } from "./protection";

export interface ConfluentDestinationArgs {
  /** Validated `kafka-cutover:destination`: an existing cluster to reference, or one to create. */
  readonly config: DestinationConfig;
  /** Validated `kafka-cutover:groups`; in `create` mode each gets a service account, key and ACLs. */
  readonly groups: readonly MigrationGroupConfig[];
  /** `link.prefix`: mirror topics are named `<prefix><topic>` on the destination, and ACLs must say so. */
  readonly topicPrefix?: string;
  /**
   * `create` mode: what destroy or a replacement does to the environment, network, cluster and the principals,
   * keys and ACLs the groups' applications and the Gateway use (`protection.destination`). @default "retain"
   */
  readonly retention?: RetentionMode;
}

/** Confluent caps service account display names (unique in the organization) at 64 characters. */
const MAX_DISPLAY_NAME = 64;

/**
 * The Confluent Cloud side of the migration: the cluster the link mirrors into and the clients move to.
 * `existing` references a cluster by id, endpoints and API key and declares nothing. `create` declares an
 * environment, its private network to the customer VPC (`AwsNetworking`), a dedicated cluster in that
 * network, and the principals that use it: the program's admin, the link, the Gateway and one per group.
 */
export class ConfluentDestination extends pulumi.ComponentResource {
  declare readonly clusterId: pulumi.Output<string>;
  /** `host:port`, without the `SASL_SSL://` Confluent prefixes it with. */
  declare readonly bootstrap: pulumi.Output<string>;
  declare readonly restEndpoint: pulumi.Output<string>;
  /** The key the program's own REST calls use (admin in `create` mode). */
  declare readonly apiKey: pulumi.Output<string>;
  /** Secret. */
  declare readonly apiSecret: pulumi.Output<string>;
  /** `create` mode only: per group name, the principal and key its applications use after the cutover. */
  declare readonly groupAccess: Readonly<Record<string, ServiceAccess>>;
  /** `create` mode only: the cluster link's and the Gateway's own principals and keys. */
  declare readonly linkAccess: ServiceAccess | undefined;
  declare readonly gatewayAccess: ServiceAccess | undefined;

  constructor(name: string, args: ConfluentDestinationArgs, opts?: pulumi.ComponentResourceOptions) {
    // `{}` to super: args hold secrets, and a component's args would be stored as its inputs.
    super("kafka-cutover:index:ConfluentDestination", name, {}, opts);
    const cfg = args.config;
    if (cfg.mode === "create") validateCreate(cfg, args.groups, this);
    const out = cfg.mode === "existing" ? referenceExisting(cfg) : createDestination(name, cfg, args, this);
    this.clusterId = out.clusterId;
    this.bootstrap = out.bootstrap;
    this.restEndpoint = out.restEndpoint;
    this.apiKey = out.apiKey;
    this.apiSecret = out.apiSecret;
    this.groupAccess = out.groupAccess;
    this.linkAccess = out.linkAccess;
    this.gatewayAccess = out.gatewayAccess;
    this.registerOutputs({ clusterId: this.clusterId, bootstrap: this.bootstrap, restEndpoint: this.restEndpoint });
  }
}

type DestinationOutputs = Pick<
  ConfluentDestination,
  "clusterId" | "bootstrap" | "restEndpoint" | "apiKey" | "apiSecret" | "groupAccess" | "linkAccess" | "gatewayAccess"
>;

function referenceExisting(cfg: ExistingDestinationConfig): DestinationOutputs {
  return {
    clusterId: pulumi.output(cfg.clusterId),
    bootstrap: pulumi.output(cfg.bootstrap.map((b) => `${b.host}:${b.port}`).join(",")),
    restEndpoint: pulumi.output(cfg.restEndpoint),
    apiKey: pulumi.output(cfg.apiKey),
    apiSecret: pulumi.secret(cfg.apiSecret),
    groupAccess: {},
    linkAccess: undefined,
    gatewayAccess: undefined,
  };
}

function createDestination(
  name: string,
  cfg: CreateDestinationConfig,
  args: ConfluentDestinationArgs,
  parent: pulumi.Resource,
): DestinationOutputs {
  // What holds promoted data, and what clients reach it through, outlives the stack unless config says otherwise.
  const keep = keepOptions(args.retention ?? "retain");
  const environment = new confluentcloud.Environment(name, { displayName: cfg.environmentName }, { parent, ...keep });
  // The network first: a dedicated cluster is placed in its network at creation and cannot move.
  const networking = new AwsNetworking(
    `${name}-network`,
    {
      config: cfg.networking,
      region: cfg.region,
      zones: cfg.cluster.zones,
      environmentId: environment.id,
      displayName: cfg.cluster.name,
      retention: args.retention ?? "retain",
    },
    { parent },
  );
  const cluster = new confluentcloud.KafkaCluster(
    name,
    {
      displayName: cfg.cluster.name,
      cloud: "AWS",
      region: cfg.region,
      availability: cfg.cluster.availability,
      dedicated: { cku: cfg.cluster.ckus },
      environment: { id: environment.id },
      network: { id: networking.networkId },
    },
    { parent, ...keep },
  );
  const access = declareClusterAccess({
    name,
    parent,
    displayName: cfg.cluster.name,
    environmentId: environment.id,
    cluster,
    keep,
    groups: args.groups.map((g) => ({
      name: g.name,
      topics: g.topics.map((t) => `${args.topicPrefix ?? ""}${t}`),
      consumerGroups: g.consumerGroups,
    })),
  });
  return {
    clusterId: cluster.id,
    bootstrap: cluster.bootstrapEndpoint.apply((b) => b.replace(/^[A-Z_]+:\/\//, "")),
    restEndpoint: cluster.restEndpoint,
    apiKey: access.admin.apiKey,
    apiSecret: access.admin.apiSecret,
    groupAccess: access.groups,
    linkAccess: access.link,
    gatewayAccess: access.gateway,
  };
}

/** Checks that need the groups as well as the destination, before any child is declared. */
function validateCreate(
  cfg: CreateDestinationConfig,
  groups: readonly MigrationGroupConfig[],
  resource: pulumi.Resource,
): void {
  const tooLong = serviceAccountNames(cfg.cluster.name, groups).filter((n) => n.length > MAX_DISPLAY_NAME);
  if (tooLong.length > 0) {
    throw new pulumi.ResourceError(
      `kafka-cutover:destination.cluster.name: ${JSON.stringify(cfg.cluster.name)} makes service account names longer than ${MAX_DISPLAY_NAME} characters (${tooLong.join(", ")}); ` +
        `shorten it (pulumi config set --path 'kafka-cutover:destination.cluster.name' <shorter>) or the group names`,
      resource,
    );
  }
}
