/**
 * The Kafka ACLs each principal of a created destination gets, as plain data: what the cluster will
 * allow is readable (and tested) without the Pulumi runtime.
 */

/** Kafka's literal name for the cluster resource in ACLs. */
export const CLUSTER_RESOURCE = "kafka-cluster";

export interface AclSpec {
  readonly resourceType: "TOPIC" | "GROUP" | "CLUSTER";
  readonly resourceName: string;
  readonly operation: "READ" | "WRITE" | "DESCRIBE" | "ALTER";
}

/**
 * A migration group's applications: produce and consume their own topics (by their names on the
 * destination, i.e. with the link prefix), commit offsets in their own consumer groups, read metadata.
 * LITERAL only: a group never gains access to a topic that merely shares a prefix with its own.
 */
export function appAcls(destinationTopics: readonly string[], consumerGroups: readonly string[]): AclSpec[] {
  return [
    ...destinationTopics.flatMap((t) =>
      (["READ", "WRITE", "DESCRIBE"] as const).map(
        (operation): AclSpec => ({ resourceType: "TOPIC", resourceName: t, operation }),
      ),
    ),
    ...consumerGroups.map((g): AclSpec => ({ resourceType: "GROUP", resourceName: g, operation: "READ" })),
    { resourceType: "CLUSTER", resourceName: CLUSTER_RESOURCE, operation: "DESCRIBE" },
  ];
}

/**
 * The cluster link's principal on the destination. Confluent documents ALTER on the cluster (or
 * CloudClusterAdmin) as what a link to a Confluent Cloud destination needs; ALTER is the narrower grant.
 */
export function linkAcls(): AclSpec[] {
  return [
    { resourceType: "CLUSTER", resourceName: CLUSTER_RESOURCE, operation: "ALTER" },
    { resourceType: "CLUSTER", resourceName: CLUSTER_RESOURCE, operation: "DESCRIBE" },
  ];
}

/** The Gateway's own principal only reads cluster metadata; client traffic uses each group's app key. */
export function gatewayAcls(): AclSpec[] {
  return [{ resourceType: "CLUSTER", resourceName: CLUSTER_RESOURCE, operation: "DESCRIBE" }];
}
