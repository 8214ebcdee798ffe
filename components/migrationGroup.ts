import * as pulumi from "@pulumi/pulumi";
import type { GatewayConfig, MigrationGroupConfig } from "../config";
import { DestinationAcls } from "../dynamic/acls";
import { GroupCutover } from "../dynamic/cutover";
import type { BlockedWindow, DeepInput, KafkaAccess, TimelineEntry } from "../dynamic/cutover";
import { gatewaySecretNames, groupRoute } from "./gatewaySpec";

export interface MigrationGroupArgs {
  readonly config: MigrationGroupConfig;
  readonly gateway: GatewayConfig;
  /** The cluster link mirroring the group's topics, and the REST API (with the admin key) that manages it. */
  readonly link: DeepInput<{
    name: string;
    restEndpoint: string;
    clusterId: string;
    apiKey: string;
    apiSecret: string;
    restCaCertificates?: string;
  }>;
  /** Source topic → its mirror topic's name on the destination. */
  readonly mirrorTopics: Readonly<Record<string, string>>;
  /** Direct access (not through the Gateway) to read offsets on each cluster. */
  readonly source: DeepInput<KafkaAccess>;
  readonly destination: DeepInput<KafkaAccess>;
  /**
   * Source principal → the destination principal that gets its ACLs on the group's topics and consumer groups
   * (`groups[].aclPrincipals`, existing destination). Unset: none carried.
   */
  readonly aclPrincipals?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** What client teams and operators read about one group: where to connect and where it stands. */
export interface MigrationGroupSummary {
  readonly endpoint: string;
  readonly topics: readonly string[];
  readonly consumerGroups: readonly string[];
  readonly streamingDomain: string;
  readonly state: "standing-by" | "cut-over";
  readonly blockedWindowMs?: number;
  /** When clients were held, and how much of it was spent waiting on the Gateway and on Cluster Linking. */
  readonly blockedWindow?: BlockedWindow;
  /** Each step of the cutover (or of standing by), for an operator's audit. */
  readonly timeline: readonly TimelineEntry[];
}

/**
 * A set of topics and the applications that produce and consume them, moved together: its route's two
 * shapes (on the source, on the destination) and its cutover, which runs when `cutover: true`.
 */
export class MigrationGroup extends pulumi.ComponentResource {
  declare readonly cutover: GroupCutover;
  /** The group's ACLs on the destination, carried over from the source; unset when no principal is mapped. */
  declare readonly acls: DestinationAcls | undefined;
  declare readonly summary: pulumi.Output<MigrationGroupSummary>;

  constructor(name: string, args: MigrationGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kafka-cutover:index:MigrationGroup", name, {}, opts);
    const { config: g, gateway: gw } = args;
    const destinationRoute = groupRoute(gw, g, "destination");
    const names = gatewaySecretNames(gw.name);
    const requiredSecrets =
      destinationRoute.security.auth === "swap"
        ? [
            names.storeConfig,
            names.swapCredentials,
            gw.swap.clusterAuthentication === "oauth" ? names.oauthJaas : names.plainJaas,
            ...(gw.swap.clientAuthentication === "mtls" ? [names.clientTls] : []),
          ]
        : [];
    this.acls = declareAcls(name, args, this);
    this.cutover = new GroupCutover(
      `${name}-cutover`,
      {
        group: g.name,
        requested: g.cutover,
        topics: args.mirrorTopics,
        consumerGroups: [...g.consumerGroups],
        lagThreshold: g.lagThreshold,
        timeouts: g.timeouts,
        fence: g.fence,
        link: args.link,
        source: args.source,
        destination: args.destination,
        gateway: {
          kubeconfig: gw.kubeconfig,
          namespace: gw.namespace,
          name: gw.name,
          sourceRoute: groupRoute(gw, g, "source"),
          destinationRoute,
          requiredSecrets,
          hotReload: gw.hotReload,
        },
        ...(g.canary ? { canary: canaryOf(g, g.canary) } : {}),
      },
      // The route leads clients to the destination only once their rights are there.
      { parent: this, ...(this.acls ? { dependsOn: [this.acls] } : {}) },
    );
    const c = this.cutover;
    this.summary = pulumi
      .all([c.state, c.blockedWindowMs, c.blockedWindow, c.timeline])
      .apply(([state, blockedWindowMs, blockedWindow, timeline]) => ({
        endpoint: `${g.endpoint.host}:${g.endpoint.port}`,
        topics: [...g.topics],
        consumerGroups: [...g.consumerGroups],
        streamingDomain: state === "cut-over" ? gw.destinationDomain : gw.sourceDomain,
        state,
        ...(blockedWindowMs !== undefined ? { blockedWindowMs } : {}),
        ...(blockedWindow ? { blockedWindow } : {}),
        timeline: timeline ?? [],
      }));
    this.registerOutputs({ summary: this.summary });
  }
}

/**
 * The source's ACLs of the group's principals, carried to the destination (dynamic/acls); without a mapping,
 * nothing.
 */
function declareAcls(name: string, args: MigrationGroupArgs, parent: MigrationGroup): DestinationAcls | undefined {
  const g = args.config;
  if (!args.aclPrincipals || Object.keys(args.aclPrincipals).length === 0) return undefined;
  return new DestinationAcls(
    `${name}-acls`,
    {
      group: g.name,
      topics: args.mirrorTopics,
      consumerGroups: [...g.consumerGroups],
      principals: args.aclPrincipals,
      frozen: g.cutover,
      source: args.source,
      destination: args.destination,
    },
    { parent },
  );
}

/** The canary signs in to the group's route (no TLS: the routes we declare take SASL in plain text). */
function canaryOf(
  g: MigrationGroupConfig,
  c: NonNullable<MigrationGroupConfig["canary"]>,
): DeepInput<{ topic: string; access: KafkaAccess }> {
  return {
    topic: c.topic,
    access: {
      bootstrap: `${g.endpoint.host}:${g.endpoint.port}`,
      securityProtocol: "SASL_PLAINTEXT",
      mechanism: c.mechanism,
      username: c.username,
      password: c.password,
    },
  };
}
