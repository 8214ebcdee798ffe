/**
 * What `pulumi destroy`, or a replacement, may take away from clients, as resource options and as the note
 * the program prints. Pure: the components apply `keepOptions`, the program logs `destroyNote`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { RetentionMode, StackConfig } from "../config";
import { gatewaySecretNames, usesSwap } from "./gatewaySpec";

/** The resource options a retention mode stands for; spread into a child's options next to `parent`. */
export type KeepOptions = Pick<pulumi.CustomResourceOptions, "retainOnDelete" | "protect">;

/**
 * `retain`: a delete (destroy, replacement, removal from the program) only drops the resource from the state.
 * `protect`: Pulumi refuses the delete or replacement outright, and once unprotected still only drops it.
 * `delete`: Pulumi's default.
 */
export function keepOptions(mode: RetentionMode): KeepOptions {
  switch (mode) {
    case "retain":
      return { retainOnDelete: true };
    case "protect":
      return { retainOnDelete: true, protect: true };
    case "delete":
      return {};
  }
}

/**
 * What destroy would keep and why, what it deletes, and what it refuses, from the stack config: the program
 * logs it in every preview and up, so an operator reads it before running destroy.
 */
export function destroyNote(config: StackConfig): string {
  const { destination, gateway: gw, groups, link, protection } = config;
  const lines: string[] = [];
  // One sentence per kept thing: what, what the mode does to it, and why it matters to clients.
  const fate = (what: string, key: "destination" | "gateway", why: string, loss: string): string => {
    const mode = protection[key];
    if (mode === "delete") return `${what}: deleted (protection.${key}: delete); ${loss}`;
    const how =
      mode === "retain"
        ? "destroy or a replacement removes them from the stack's state and leaves them running"
        : `pulumi destroy and any replacement of them fail until protection.${key} is retain or delete and pulumi up has run`;
    return `${what}: ${mode === "retain" ? "kept" : "protected"} (protection.${key}: ${mode}): ${how}; ${why}`;
  };

  if (destination.mode === "create") {
    lines.push(
      fate(
        `the Confluent environment ${destination.environmentName}, the cluster ${destination.cluster.name}, its network, and the principals, API keys and ACLs of the groups' applications and of the Gateway`,
        "destination",
        "they hold the promoted topics and the keys clients sign in with",
        "the promoted topics and the keys clients sign in with go with them",
      ),
    );
  } else {
    lines.push(
      `the destination cluster ${destination.clusterId} is not declared by this stack (destination.mode: existing): destroy never touches it`,
    );
  }

  const names = gatewaySecretNames(gw.name);
  const secrets = usesSwap(groups)
    ? ` and the Secrets its swap routes read (${[names.storeConfig, names.swapCredentials, gw.swap.clusterAuthentication === "oauth" ? names.oauthJaas : names.plainJaas].join(", ")})`
    : "";
  lines.push(
    fate(
      `the Gateway CR ${gw.namespace}/${gw.name}${secrets}`,
      "gateway",
      "clients connect through it",
      "clients that still connect through it lose their routes",
    ),
  );

  lines.push(
    `the cluster link ${link.name} and its mirror topics: deleted, only once every mirror on the link is promoted (a promoted mirror is forgotten: its topic stays, it is the clients' now)` +
      (destination.mode === "create" ? "; so are the program's own admin and link principals and keys" : ""),
  );

  const abandoned = new Set(protection.abandonGroups);
  const standing = groups.filter((g) => !g.cutover && !abandoned.has(g.name)).map((g) => g.name);
  if (standing.length > 0)
    lines.push(
      `destroy refuses to delete the mirror topics of groups not cut over (cutover: false): ${standing.join(", ")}; cut them over, or to give up their migration list them in kafka-cutover:protection.abandonGroups and run pulumi up before destroy`,
    );
  if (abandoned.size > 0)
    lines.push(
      `abandoned (protection.abandonGroups): ${[...abandoned].join(", ")}: deleting their mirror topics fails them over (mirroring stops, the copies stay on the destination as ordinary topics); their clients stay on the source`,
    );

  return [
    "what pulumi destroy would keep, delete and refuse:",
    ...lines.map((l) => `  - ${l}`),
    "  these follow the stack as the last pulumi up recorded it: change a setting, run pulumi up, then destroy",
  ].join("\n");
}
