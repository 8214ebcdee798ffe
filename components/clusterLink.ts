import * as pulumi from "@pulumi/pulumi";
import { LinkConfig, MigrationGroupConfig, SourceConfig } from "../config";
import { ClusterLink as ClusterLinkResource, MirrorTopic } from "../dynamic/clusterLink";

/** Where the link is managed: the destination's REST API and the program's (admin) API key. */
export interface ClusterLinkDestination {
  readonly restEndpoint: pulumi.Input<string>;
  readonly clusterId: pulumi.Input<string>;
  readonly apiKey: pulumi.Input<string>;
  /** Secret. */
  readonly apiSecret: pulumi.Input<string>;
  /** PEM CAs the REST endpoint chains to (`destination.restCaCertificates`); unset: the system trust store. */
  readonly restCaCertificates?: string;
}

export interface ClusterLinkArgs {
  /** Validated `kafka-cutover:link`. */
  readonly link: LinkConfig;
  /** Validated `kafka-cutover:groups`: each topic gets a mirror, each consumer group its offsets synced. */
  readonly groups: readonly MigrationGroupConfig[];
  /** Validated `kafka-cutover:source`: its cluster id, security protocol and the link's login. */
  readonly source: SourceConfig;
  /** `host:port,…` of the source brokers (`sourceBrokers(...).bootstrap`). */
  readonly sourceBootstrap: pulumi.Input<string>;
  readonly destination: ClusterLinkDestination;
  /**
   * `protection.abandonGroups`: groups whose migration is given up, whose mirrors are failed over when deleted
   * instead of refused. @default []
   */
  readonly abandonGroups?: readonly string[];
}

/** MSK's own health-check topic: it exists on every MSK cluster and is never migrated. */
export const MSK_CANARY_TOPIC = "__amazon_msk_canary";

/**
 * Checks the groups can be mirrored, before anything is declared: an error names the key and the fix.
 * Exported for tests.
 */
export function validateClusterLinkArgs(groups: readonly MigrationGroupConfig[]): string[] {
  const problems: string[] = [];
  groups.forEach((g, i) =>
    g.topics.forEach((t, j) => {
      if (t === MSK_CANARY_TOPIC) {
        problems.push(
          `kafka-cutover:groups[${i}].topics[${j}]: is ${MSK_CANARY_TOPIC}, MSK's internal health-check topic, which is never migrated; remove it from the group in Pulumi.<stack>.yaml`,
        );
      }
    }),
  );
  return problems;
}

/**
 * The cluster link from the source to the destination and one mirror topic per group topic. The link
 * syncs the consumer offsets of exactly the groups' consumer groups (one LITERAL INCLUDE filter each),
 * so consumers resume on the destination where they committed. Mirrors are created explicitly, one per
 * declared topic (no auto-create filter), so MSK's internal topics are never mirrored.
 */
export class ClusterLink extends pulumi.ComponentResource {
  declare readonly linkName: pulumi.Output<string>;
  /** Per group name, its mirror topics on the destination (`<prefix><topic>`), in config order. */
  declare readonly mirrorTopics: pulumi.Output<Record<string, string[]>>;
  /** The link resource, for the cutover to depend on. */
  declare readonly link: ClusterLinkResource;
  /** Per group name, its mirror resources (a group's cutover depends on them). */
  declare readonly mirrors: Readonly<Record<string, readonly MirrorTopic[]>>;
  /** Per group name: source topic → mirror topic name, plain (known in preview). */
  declare readonly mirrorNames: Readonly<Record<string, Readonly<Record<string, string>>>>;

  constructor(name: string, args: ClusterLinkArgs, opts?: pulumi.ComponentResourceOptions) {
    // `{}` to super: args hold secrets, and a component's args would be stored as its inputs.
    super("kafka-cutover:index:ClusterLink", name, {}, opts);
    const problems = validateClusterLinkArgs(args.groups);
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("\n"), this);

    const { link: cfg, source, destination: dst } = args;
    // Cluster Linking's rule for mirror names. Validation refuses link.prefix, since every group of this
    // program is routed and routes keep topic names, so no stack reaches this with one; the rule stays the link's.
    const prefix = cfg.prefix ?? "";
    const auth = source.auth;
    const access = {
      restEndpoint: dst.restEndpoint,
      clusterId: dst.clusterId,
      apiKey: dst.apiKey,
      apiSecret: pulumi.secret(dst.apiSecret),
      ...(dst.restCaCertificates ? { restCaCertificates: dst.restCaCertificates } : {}),
    };
    this.link = new ClusterLinkResource(
      cfg.name,
      {
        ...access,
        linkName: cfg.name,
        sourceClusterId: source.clusterId,
        sourceBootstrap: args.sourceBootstrap,
        securityProtocol: source.securityProtocol,
        mechanism: auth.mechanism,
        username: auth.username,
        password: pulumi.secret(auth.password),
        ...(source.caCertificates ? { sourceCaCertificates: source.caCertificates } : {}),
        offsetSyncMs: cfg.offsetSyncMs,
        consumerGroups: [...new Set(args.groups.flatMap((g) => g.consumerGroups))].sort(),
        aclSync: cfg.aclSync,
        ...(cfg.prefix ? { prefix: cfg.prefix } : {}),
        groups: args.groups.map((g) => ({ name: g.name, mirrorTopics: g.topics.map((t) => `${prefix}${t}`) })),
      },
      { parent: this },
    );

    const abandoned = new Set(args.abandonGroups ?? []);
    const mirrors: Record<string, MirrorTopic[]> = {};
    for (const g of args.groups) {
      mirrors[g.name] = g.topics.map(
        (topic) =>
          new MirrorTopic(
            `${name}-${prefix}${topic}`,
            {
              ...access,
              // The name from config, not the link's output: known in preview, so the mirror is checked there too.
              linkName: cfg.name,
              sourceTopicName: topic,
              mirrorTopicName: `${prefix}${topic}`,
              group: g.name,
              abandoned: abandoned.has(g.name),
            },
            { parent: this, dependsOn: [this.link] },
          ),
      );
    }
    this.mirrors = mirrors;
    this.mirrorNames = Object.fromEntries(
      args.groups.map((g) => [g.name, Object.fromEntries(g.topics.map((t) => [t, `${prefix}${t}`]))]),
    );
    this.linkName = this.link.linkName;
    this.mirrorTopics = pulumi
      .all(
        Object.entries(mirrors).map(([group, ms]) =>
          pulumi.all(ms.map((m) => m.mirrorTopicName)).apply((names) => [group, names] as const),
        ),
      )
      .apply((pairs) => Object.fromEntries(pairs));
    this.registerOutputs({ linkName: this.linkName, mirrorTopics: this.mirrorTopics });
  }
}
