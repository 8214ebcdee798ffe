/**
 * `groups[i].aclPrincipals`: which destination principal gets each source principal's ACLs on the group's
 * topics and consumer groups (existing destination). Create mode refuses it: there the group's service account
 * gets the ACLs the stack declares (`appAcls`), and carrying the source's there is not built yet.
 */
import { PRINCIPAL } from "../dynamic/acls/bindings";
import { rmCommand } from "./errors";
import { ConfigReader, JsonObject, isObject } from "./reader";
import { DestinationConfig, MigrationGroupConfig, SourceConfig } from "./schema";

const EXAMPLE = `'{"User:orders-app": "User:sa-abc123"}'`;

function setEntry(path: string, from = "User:orders-app", to = "User:sa-abc123"): string {
  return `pulumi config set --path 'kafka-cutover:${path}["${from}"]' ${to}`;
}

/** `null` when not set (no ACLs carried); undefined (problems reported) when malformed. */
export function readAclPrincipals(
  r: ConfigReader,
  value: JsonObject[string] | undefined,
  path: string,
): Readonly<Record<string, string>> | null | undefined {
  if (value === undefined || value === null) return null;
  if (!isObject(value) || Object.keys(value).length === 0) {
    r.report(
      path,
      "must map each source principal to the destination principal that gets its ACLs, e.g. " + EXAMPLE,
      setEntry(path),
    );
    return undefined;
  }
  let ok = true;
  for (const [from, to] of Object.entries(value)) {
    if (!PRINCIPAL.test(from)) {
      ok = false;
      r.report(
        path,
        from.endsWith(":*")
          ? `maps ${JSON.stringify(from)}, every principal of the source: map each of the group's principals on its own`
          : `has the key ${JSON.stringify(from)}, which is not a source principal such as User:orders-app (Type:name)`,
        `${rmCommand(`${path}["${from}"]`)} and ${setEntry(path)}`,
      );
    }
    if (typeof to !== "string" || !PRINCIPAL.test(to)) {
      ok = false;
      r.report(
        `${path}["${from}"]`,
        typeof to === "string" && to.endsWith(":*")
          ? `is ${JSON.stringify(to)}: that would give the source principal's rights to every principal of the destination`
          : `is ${JSON.stringify(to)}, which is not one destination principal such as User:sa-abc123 (Type:name; the service account or the API key's owner)`,
        setEntry(path, PRINCIPAL.test(from) ? from : undefined),
      );
    }
  }
  return ok ? (value as Record<string, string>) : undefined;
}

/**
 * Mappings the carry-over would ignore, refused rather than silently unused: any in create mode (see the top of
 * this file), and the program's own source user (the link's, which reads every topic), whose ACLs are never carried.
 */
export function checkAclPrincipals(
  r: ConfigReader,
  source: SourceConfig,
  destination: DestinationConfig,
  groups: readonly MigrationGroupConfig[],
): void {
  const own = `User:${source.auth.username}`;
  groups.forEach((g, i) => {
    const path = `groups[${i}].aclPrincipals`;
    if (!g.aclPrincipals) return;
    if (destination.mode === "create") {
      r.report(
        path,
        "is set, but destination.mode is create, where each group's service account gets the ACLs the stack declares for its apps (components/clusterAcls.ts); carrying source ACLs there is not built yet",
        rmCommand(path),
      );
      return;
    }
    if (own in g.aclPrincipals)
      r.report(
        `${path}["${own}"]`,
        `maps the program's own source user (source.auth.username), whose ACLs are the link's (every topic) and are never carried; map the principals the group's applications sign in to the source as`,
        rmCommand(`${path}["${own}"]`),
      );
  });
}
