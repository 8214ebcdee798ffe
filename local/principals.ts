/**
 * The principals a real migration would already have: on the source, the SCRAM user the cluster link
 * reads as (`cutover-link`, as Pulumi.local.yaml names it), with the read-only ACLs MSK operators grant
 * a link. Created once per environment; its password goes to endpoints.json as `source.users`.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, ResourcePatternTypes } from "kafkajs";
import { createApiKey, createScramUser, endpointsFile, kafkajsConfig, mergeEndpoints, readEndpoints } from "./kafka";
import type { KafkaPairEndpoints } from "./kafka";
import { canaryGroupId } from "../dynamic/cutover/canary";
import { registerOAuthClient } from "./oauth/clients";

export const LINK_USER = "cutover-link";

interface EndpointsWithUsers {
  source?: { users?: Record<string, string> };
}

/** Creates the link's SCRAM user and ACLs unless endpoints.json already records them. */
export async function ensureLinkPrincipal(stateDir: string, pair: KafkaPairEndpoints): Promise<{ created: boolean }> {
  const file = endpointsFile(stateDir);
  const known = (readEndpoints(file) as EndpointsWithUsers).source?.users?.[LINK_USER];
  if (known) return { created: false };
  const { password } = await createScramUser(LINK_USER, undefined, { stateDir });
  const { TOPIC, GROUP, CLUSTER } = AclResourceTypes;
  const { READ, DESCRIBE, DESCRIBE_CONFIGS } = AclOperationTypes;
  await allowAll(pair, "source", `User:${LINK_USER}`, [
    [TOPIC, "*", READ],
    [TOPIC, "*", DESCRIBE],
    [TOPIC, "*", DESCRIBE_CONFIGS],
    [GROUP, "*", READ],
    [GROUP, "*", DESCRIBE],
    [CLUSTER, "kafka-cluster", DESCRIBE],
  ]);
  mergeEndpoints(file, { source: { users: { [LINK_USER]: password } } });
  return { created: true };
}

/** One migration group's applications, as they exist before a migration: a SCRAM user on the source and an API key on the destination. */
export interface AppPrincipal {
  readonly username: string;
  readonly password: string;
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface LocalGroup {
  readonly name: string;
  readonly topics: readonly string[];
  readonly consumerGroups: readonly string[];
  readonly canary?: { readonly topic: string };
}

interface EndpointsWithApps {
  apps?: Record<string, AppPrincipal>;
}

/**
 * Creates `<group>-app` for each group unless endpoints.json records it: on the source a SCRAM user that
 * may produce and consume the group's topics, and on the destination an API key with the same rights,
 * which the Gateway's auth swap signs in with after the cutover (the mirror stays read-only until promoted).
 */
export async function ensureAppPrincipals(
  stateDir: string,
  pair: KafkaPairEndpoints,
  groups: readonly LocalGroup[],
): Promise<string[]> {
  const file = endpointsFile(stateDir);
  const known = (readEndpoints(file) as EndpointsWithApps).apps ?? {};
  const created: string[] = [];
  for (const g of groups) {
    if (known[g.name]) continue;
    const username = `${g.name}-app`;
    const { password } = await createScramUser(username, undefined, { stateDir });
    const key = await createApiKey({ stateDir });
    await grantAppAcls(pair, "source", `User:${username}`, g);
    await grantAppAcls(pair, "destination", `User:${key.key}`, g);
    if (g.canary) await ensureCanary(pair, `User:${key.key}`, g.name, g.canary.topic);
    mergeEndpoints(file, { apps: { [g.name]: { username, password, apiKey: key.key, apiSecret: key.secret } } });
    created.push(username);
  }
  return created;
}

/** The OAuth client a Gateway with OAUTHBEARER out signs every swapped principal in with; on the destination, `User:<id>`. */
export const GATEWAY_OAUTH_CLIENT = "cutover-gateway";

interface EndpointsWithOAuth {
  oauth?: { clients?: Record<string, string> };
}

/**
 * Registers the Gateway's OAuth client with the local authorization server (unless endpoints.json records it)
 * and grants its principal on the destination what each group's API key has: with OAUTHBEARER out, every
 * client of a swap route reaches the destination as this one principal (Confluent Cloud: the identity pool).
 */
export async function ensureOAuthPrincipal(
  stateDir: string,
  pair: KafkaPairEndpoints,
  groups: readonly LocalGroup[],
): Promise<{ clientId: string; clientSecret: string }> {
  const file = endpointsFile(stateDir);
  const known = (readEndpoints(file) as EndpointsWithOAuth).oauth?.clients?.[GATEWAY_OAUTH_CLIENT];
  const clientSecret = known ?? registerOAuthClient(stateDir, GATEWAY_OAUTH_CLIENT).secret;
  const principal = `User:${GATEWAY_OAUTH_CLIENT}`;
  for (const g of groups) {
    await grantAppAcls(pair, "destination", principal, g);
    if (g.canary) await ensureCanary(pair, principal, g.name, g.canary.topic);
  }
  if (!known) mergeEndpoints(file, { oauth: { clients: { [GATEWAY_OAUTH_CLIENT]: clientSecret } } });
  return { clientId: GATEWAY_OAUTH_CLIENT, clientSecret };
}

/**
 * The canary's topic on the destination (an ordinary topic, created by the operator in a real migration)
 * and the rights the app's key needs there: the canary signs in to the route as the app after the switch.
 */
async function ensureCanary(pair: KafkaPairEndpoints, principal: string, group: string, topic: string): Promise<void> {
  const admin = new Kafka(kafkajsConfig(pair.destination)).admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic))
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
  } finally {
    await admin.disconnect();
  }
  const { TOPIC, GROUP } = AclResourceTypes;
  const { READ, WRITE, DESCRIBE } = AclOperationTypes;
  await allowAll(pair, "destination", principal, [
    [TOPIC, topic, READ],
    [TOPIC, topic, WRITE],
    [TOPIC, topic, DESCRIBE],
    [GROUP, canaryGroupId(group), READ],
    [GROUP, canaryGroupId(group), DESCRIBE],
  ]);
}

export async function grantAppAcls(
  pair: KafkaPairEndpoints,
  cluster: "source" | "destination",
  principal: string,
  g: LocalGroup,
): Promise<void> {
  const { TOPIC, GROUP, CLUSTER } = AclResourceTypes;
  const { READ, WRITE, DESCRIBE, IDEMPOTENT_WRITE } = AclOperationTypes;
  await allowAll(pair, cluster, principal, [
    ...g.topics.flatMap((t): Grant[] => [
      [TOPIC, t, READ],
      [TOPIC, t, WRITE],
      [TOPIC, t, DESCRIBE],
    ]),
    ...g.consumerGroups.flatMap((c): Grant[] => [
      [GROUP, c, READ],
      [GROUP, c, DESCRIBE],
    ]),
    [CLUSTER, "kafka-cluster", IDEMPOTENT_WRITE],
    [CLUSTER, "kafka-cluster", DESCRIBE],
  ]);
}

export type Grant = [AclResourceTypes, string, AclOperationTypes];

/** Creates LITERAL ALLOW ACLs for `principal` on one cluster, as its admin. */
export async function allowAll(
  pair: KafkaPairEndpoints,
  cluster: "source" | "destination",
  principal: string,
  grants: Grant[],
): Promise<void> {
  const admin = new Kafka(kafkajsConfig(pair[cluster])).admin();
  await admin.connect();
  try {
    await admin.createAcls({
      acl: grants.map(([resourceType, resourceName, operation]) => ({
        resourceType,
        resourceName,
        resourcePatternType: ResourcePatternTypes.LITERAL,
        principal,
        host: "*",
        operation,
        permissionType: AclPermissionTypes.ALLOW,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
