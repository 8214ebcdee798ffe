/**
 * ACL bindings as plain data, in Kafka's own names, and the kafkajs calls that read and write them: the
 * carry-over reads the source's with DescribeAcls and declares the destination's with CreateAcls/DeleteAcls.
 */
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
  type AclFilter,
  type Admin,
} from "kafkajs";

/** Kafka's names; UNKNOWN is a type or operation this client does not know (a newer broker's). */
export type AclResourceType = Exclude<keyof typeof AclResourceTypes, "ANY">;
export type AclOperation = Exclude<keyof typeof AclOperationTypes, "ANY">;
export type AclPermission = "ALLOW" | "DENY";
export type AclPatternType = "LITERAL" | "PREFIXED";

/** One principal, `Type:name` as Kafka's authorizer names it (`User:alice`, `User:sa-abc123`); never a wildcard. */
export const PRINCIPAL = /^[A-Za-z][A-Za-z0-9]*:[^\s*][^\s]*$/;

/** One ACL as a cluster holds it: `principal` may (ALLOW) or may not (DENY) do `operation` on the resource. */
export interface AclBinding {
  readonly resourceType: AclResourceType;
  /** A name, a prefix (PREFIXED) or `*` (LITERAL: every resource of the type). */
  readonly resourceName: string;
  readonly patternType: AclPatternType;
  /** `User:alice`; `User:*` is every principal. */
  readonly principal: string;
  /** `*` or one client address. */
  readonly host: string;
  readonly operation: AclOperation;
  readonly permission: AclPermission;
}

/** `ALLOW User:alice READ TOPIC:orders` (`TOPIC:orders*` when prefixed, `@host` when not every host). */
export function describeBinding(b: AclBinding): string {
  const host = b.host === "*" ? "" : ` from host ${b.host}`;
  const pattern = b.patternType === "PREFIXED" ? "*" : "";
  return `${b.permission} ${b.principal} ${b.operation} ${b.resourceType}:${b.resourceName}${pattern}${host}`;
}

/** A stable identity for a binding: equal bindings, equal keys. */
export function bindingKey(b: AclBinding): string {
  return [b.permission, b.principal, b.host, b.operation, b.resourceType, b.patternType, b.resourceName].join("\u0000");
}

/** Bindings in a stable order (resource, then principal, operation, permission), duplicates dropped. */
export function sortedBindings(bindings: readonly AclBinding[]): AclBinding[] {
  const unique = new Map(bindings.map((b) => [bindingKey(b), b]));
  const order = (b: AclBinding) =>
    [b.resourceType, b.resourceName, b.patternType, b.principal, b.operation, b.permission, b.host].join("\u0000");
  return [...unique.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

function nameOf<E extends Record<string, string | number>>(enumeration: E, value: number): string | undefined {
  return Object.keys(enumeration).find((k) => enumeration[k] === value);
}

/**
 * The cluster's ACL bindings that `filter` matches (DescribeAcls; by default every binding), in Kafka's names.
 * Throws what the broker answered: SECURITY_DISABLED when it has no authorizer, CLUSTER_AUTHORIZATION_FAILED
 * without DESCRIBE on the cluster.
 */
export async function readAclBindings(
  admin: Pick<Admin, "describeAcls">,
  filter: Partial<AclFilter> = {},
): Promise<AclBinding[]> {
  const response = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
    ...filter,
  });
  const out: AclBinding[] = [];
  for (const resource of response.resources) {
    const type = nameOf(AclResourceTypes, resource.resourceType) as AclResourceType | undefined;
    const patternType = resource.resourcePatternType === ResourcePatternTypes.PREFIXED ? "PREFIXED" : "LITERAL";
    for (const acl of resource.acls) {
      out.push({
        resourceType: type ?? "UNKNOWN",
        resourceName: resource.resourceName,
        patternType,
        principal: acl.principal,
        host: acl.host,
        operation: (nameOf(AclOperationTypes, acl.operation) ?? "UNKNOWN") as AclOperation,
        permission: acl.permissionType === AclPermissionTypes.DENY ? "DENY" : "ALLOW",
      });
    }
  }
  return out;
}

/** The kafkajs entry for `b` (CreateAcls), or the filter that matches exactly `b` and nothing else (DeleteAcls). */
export function aclEntry(b: AclBinding): AclEntry & AclFilter {
  return {
    resourceType: AclResourceTypes[b.resourceType],
    resourceName: b.resourceName,
    resourcePatternType: b.patternType === "PREFIXED" ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
    principal: b.principal,
    host: b.host,
    operation: AclOperationTypes[b.operation],
    permissionType: b.permission === "DENY" ? AclPermissionTypes.DENY : AclPermissionTypes.ALLOW,
  };
}
