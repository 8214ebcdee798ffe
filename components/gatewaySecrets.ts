/**
 * What the Gateway's auth swap reads from Kubernetes Secrets: the File secret store's entries (client
 * principal → `<id>/<secret>` it signs in to the destination with) and the JAAS template it fills with them.
 */
import * as pulumi from "@pulumi/pulumi";
import type { GatewayConfig, MigrationGroupConfig } from "../config";

/** A destination API key, as the stack creates one per group in create mode. */
export interface GroupApiKey {
  readonly apiKey: pulumi.Input<string>;
  readonly apiSecret: pulumi.Input<string>;
}

/** The Gateway fills the two `%s` with a principal's API key and secret from the store. */
export const PLAIN_JAAS_TEMPLATE =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s";';

/**
 * The confluent-kubernetes examples store the OAuth template under `oauth-jaas.conf`; KCP's guides say the
 * operator reads `oauth-jass.conf`. The Secret carries both, with the same text.
 */
export const OAUTH_JAAS_KEYS = ["oauth-jaas.conf", "oauth-jass.conf"] as const;

/**
 * The OAUTHBEARER template: the Gateway fills the two `%s` with the client id and secret from the store;
 * Confluent Cloud needs the logical cluster (and the identity pool, unless it maps tokens itself).
 */
export function oauthJaasTemplate(clusterId: string, identityPoolId?: string): string {
  const pool = identityPoolId ? ` extension_identityPoolId="${identityPoolId}"` : "";
  return `org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="%s" clientSecret="%s" extension_logicalCluster="${clusterId}"${pool};`;
}

/**
 * The File secret store's entries, a secret Output. OAUTHBEARER out: every swap group's principals sign in
 * with the one OAuth client. PLAIN out: `swapCredentials` as configured (existing destination), or else each
 * swap group's principals with the API key the stack created for that group (create mode).
 */
export function swapStoreEntries(
  gw: GatewayConfig,
  groups: readonly MigrationGroupConfig[],
  groupKeys: Readonly<Record<string, GroupApiKey>>,
  resource: pulumi.Resource,
): pulumi.Output<Record<string, string>> {
  const swapping = groups.filter((g) => g.auth === "swap");
  if (gw.swap.clusterAuthentication === "oauth") {
    const client = gw.oauthClient;
    if (!client)
      throw new pulumi.ResourceError(
        "kafka-cutover:swapOAuthClientId: gateway.swap.clusterAuthentication is oauth but the OAuth client is not set; pulumi config set --secret kafka-cutover:swapOAuthClientId <value> (and swapOAuthClientSecret)",
        resource,
      );
    const principals = swapping.flatMap((g) => g.principals);
    return pulumi.secret(
      pulumi
        .all([client.clientId, client.clientSecret])
        .apply(([id, secret]) => Object.fromEntries(principals.map((p) => [p, `${id}/${secret}`]))),
    );
  }
  if (gw.swapCredentials) return pulumi.secret(gw.swapCredentials.apply((m) => ({ ...m })));
  const entries = swapping.flatMap((g) => {
    const key = groupKeys[g.name];
    if (!key || g.principals.length === 0)
      throw new pulumi.ResourceError(
        `kafka-cutover:groups: ${g.name} uses auth: swap but the Gateway has no destination credential for it: ` +
          "set kafka-cutover:swapCredentials (existing destination) or groups[<i>].principals (create mode)",
        resource,
      );
    return g.principals.map((p) =>
      pulumi.all([key.apiKey, key.apiSecret]).apply(([k, s]): [string, string] => [p, `${k}/${s}`]),
    );
  });
  return pulumi.secret(pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs)));
}
