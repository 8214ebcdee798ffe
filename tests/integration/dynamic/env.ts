// The shared environment as the dynamic providers see it: the Cluster Linking emulator's REST access to
// the destination, the source's bootstrap and id, and the link's SCRAM user (`cutover-link`).
import * as fs from "node:fs";
import { ClusterLinkRestClient, fastRetryPolicy } from "../../../clients/clusterLinkRest";
import type { ClusterLinkInputs } from "../../../dynamic/clusterLink/linkConfigs";
import type { MirrorTopicInputs } from "../../../dynamic/clusterLink/mirrorTopicProvider";
import type { KafkaPairEndpoints } from "../../../local/kafka";
import { endpointsPath } from "../helpers";

export interface SharedEndpoints extends KafkaPairEndpoints {
  source: KafkaPairEndpoints["source"] & { users: Record<string, string> };
  destination: KafkaPairEndpoints["destination"] & { restEndpoint: string };
}

export function sharedEndpoints(): SharedEndpoints {
  const e = JSON.parse(fs.readFileSync(endpointsPath(), "utf8")) as SharedEndpoints;
  if (!e.destination.restEndpoint || !e.source.users?.["cutover-link"]) {
    throw new Error(
      `${endpointsPath()} has no destination.restEndpoint or source.users.cutover-link: restart the environment (npm run local:down && npm run local:up)`,
    );
  }
  return e;
}

export function destinationAccess(e: SharedEndpoints) {
  return {
    restEndpoint: e.destination.restEndpoint,
    clusterId: e.destination.clusterId,
    apiKey: e.destination.apiKey,
    apiSecret: e.destination.apiSecret,
  };
}

export function linkInputs(
  e: SharedEndpoints,
  linkName: string,
  overrides: Partial<ClusterLinkInputs> = {},
): ClusterLinkInputs {
  return {
    ...destinationAccess(e),
    linkName,
    sourceClusterId: e.source.clusterId,
    sourceBootstrap: e.source.bootstrap,
    securityProtocol: "SASL_PLAINTEXT",
    mechanism: "SCRAM-SHA-512",
    username: "cutover-link",
    password: e.source.users["cutover-link"],
    offsetSyncMs: 1000,
    consumerGroups: [],
    aclSync: false,
    ...overrides,
  };
}

export function mirrorInputs(e: SharedEndpoints, linkName: string, topic: string): MirrorTopicInputs {
  return { ...destinationAccess(e), linkName, sourceTopicName: topic, mirrorTopicName: topic };
}

export function rest(e: SharedEndpoints): ClusterLinkRestClient {
  return new ClusterLinkRestClient({ ...destinationAccess(e), retry: fastRetryPolicy });
}

/**
 * Removes the test's link whatever state it was left in (force fails its mirrors over). Topics stay, as in
 * the other integration tests (names are unique): deleting a topic under the shared emulator's long-lived
 * Kafka clients makes their later metadata refreshes fail, which would break the tests that follow.
 */
export async function cleanUp(e: SharedEndpoints, linkName: string): Promise<void> {
  await rest(e)
    .deleteLink(linkName, { force: true })
    .catch(() => undefined);
}
