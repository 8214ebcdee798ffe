import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import { AclSpec, appAcls, gatewayAcls, linkAcls } from "./clusterAcls";
import type { KeepOptions } from "./protection";

/** One principal on the destination cluster and its cluster API key. `apiSecret` is a secret Output. */
export interface ServiceAccess {
  /** `User:sa-…`, as ACLs and role bindings name it. */
  readonly principal: pulumi.Output<string>;
  readonly apiKey: pulumi.Output<string>;
  readonly apiSecret: pulumi.Output<string>;
}

export interface ClusterAccessArgs {
  /** Prefix of every child's name. */
  readonly name: string;
  readonly parent: pulumi.Resource;
  /** Prefix of the service accounts' display names, which are unique across the Confluent organization. */
  readonly displayName: string;
  readonly environmentId: pulumi.Input<string>;
  readonly cluster: confluentcloud.KafkaCluster;
  /**
   * Options for what clients depend on after the stack is gone: the groups' and the Gateway's principals, keys
   * and ACLs. The program's admin and the link's are scaffolding and never get them.
   */
  readonly keep: KeepOptions;
  /** Per migration group: its topics as named on the destination, and its consumer groups. */
  readonly groups: readonly {
    readonly name: string;
    readonly topics: readonly string[];
    readonly consumerGroups: readonly string[];
  }[];
}

export interface ClusterAccess {
  /** The program's own principal (CloudClusterAdmin): REST calls for the link, mirrors and these ACLs. */
  readonly admin: ServiceAccess;
  readonly link: ServiceAccess;
  readonly gateway: ServiceAccess;
  /** Per group name: the principal its applications use once cut over (the Gateway's auth swap). */
  readonly groups: Readonly<Record<string, ServiceAccess>>;
}

/** The service account display names, for validation before anything is declared. */
export function serviceAccountNames(displayName: string, groups: readonly { readonly name: string }[]): string[] {
  return ["admin", "link", "gateway", ...groups.map((g) => `${g.name}-apps`)].map((s) => `${displayName}-${s}`);
}

/**
 * Service accounts, role binding, API keys and ACLs on a created cluster. Only the admin account gets a
 * role (CloudClusterAdmin); every other account gets exactly the ACLs in `clusterAcls.ts`, created with the
 * admin key, and its own key only after them, so a key is never handed out before it works.
 */
export function declareClusterAccess(args: ClusterAccessArgs): ClusterAccess {
  const { name, parent, cluster } = args;
  const account = (suffix: string, description: string, keep: KeepOptions) =>
    new confluentcloud.ServiceAccount(
      `${name}-${suffix}`,
      { displayName: `${args.displayName}-${suffix}`, description },
      { parent, ...keep },
    );
  const key = (suffix: string, sa: confluentcloud.ServiceAccount, dependsOn: pulumi.Resource[], keep: KeepOptions) =>
    new confluentcloud.ApiKey(
      `${name}-${suffix}`,
      {
        displayName: `${args.displayName}-${suffix}`,
        description: `Kafka API key of ${args.displayName}-${suffix} on the migration's destination cluster`,
        owner: { id: sa.id, apiVersion: sa.apiVersion, kind: sa.kind },
        managedResource: {
          id: cluster.id,
          apiVersion: cluster.apiVersion,
          kind: cluster.kind,
          environment: { id: args.environmentId },
        },
        // The SDK marks `secret` too; stated here because every consumer of these keys relies on it.
      },
      { parent, dependsOn, additionalSecretOutputs: ["secret"], ...keep },
    );
  const access = (sa: confluentcloud.ServiceAccount, k: confluentcloud.ApiKey): ServiceAccess => ({
    principal: pulumi.interpolate`User:${sa.id}`,
    apiKey: k.id,
    apiSecret: pulumi.secret(k.secret),
  });

  const adminSa = account(
    "admin",
    "kafka-cutover: the program's own cluster administration (links, mirror topics, ACLs)",
    {},
  );
  const adminRole = new confluentcloud.RoleBinding(
    `${name}-admin`,
    {
      principal: pulumi.interpolate`User:${adminSa.id}`,
      roleName: "CloudClusterAdmin",
      crnPattern: cluster.rbacCrn,
    },
    { parent },
  );
  // The provider's rule: a key used right away must be created after its role binding (and deleted before it).
  const adminKey = key("admin", adminSa, [adminRole], {});
  const admin = access(adminSa, adminKey);

  const withAcls = (suffix: string, description: string, specs: AclSpec[], keep: KeepOptions): ServiceAccess => {
    const sa = account(suffix, description, keep);
    const principal = pulumi.interpolate`User:${sa.id}`;
    const acls = specs.map(
      (spec) =>
        new confluentcloud.KafkaAcl(
          `${name}-${suffix}-${spec.operation.toLowerCase()}-${spec.resourceType.toLowerCase()}-${spec.resourceName}`,
          {
            kafkaCluster: { id: cluster.id },
            resourceType: spec.resourceType,
            resourceName: spec.resourceName,
            patternType: "LITERAL",
            principal,
            host: "*",
            operation: spec.operation,
            permission: "ALLOW",
            restEndpoint: cluster.restEndpoint,
            credentials: { key: adminKey.id, secret: admin.apiSecret },
          },
          { parent, dependsOn: [adminRole], ...keep },
        ),
    );
    return access(sa, key(suffix, sa, acls, keep));
  };
  const link = withAcls("link", "kafka-cutover: the cluster link's principal on the destination", linkAcls(), {});
  const gateway = withAcls("gateway", "kafka-cutover: the Gateway's own principal", gatewayAcls(), args.keep);
  const groups = Object.fromEntries(
    args.groups.map((g) => [
      g.name,
      withAcls(
        `${g.name}-apps`,
        `kafka-cutover: the applications of migration group ${g.name}`,
        appAcls(g.topics, g.consumerGroups),
        args.keep,
      ),
    ]),
  );
  return { admin, link, gateway, groups };
}
