/**
 * One reading of a group, taken as the cutover's readiness takes it: each mirror's state from the link's REST
 * API, each topic's lag by `lagFromBothClusters` (both clusters' log ends), and the readiness verdict by
 * `wouldPassReadiness`; beside them, each consumer group's offset-sync status by the comparison the cutover's
 * caught-up step makes before it promotes.
 */
import type { ClusterLinkRestClient } from "../../clients/clusterLinkRest";
import { lagFromBothClusters, wouldPassReadiness, type TopicLag } from "../../dynamic/cutover/lag";
import { groupOffsetDiffs, offsetsUnsynced, type OffsetReader } from "../../dynamic/cutover/offsets";
import type { LagTarget } from "./access";

/** The link has no mirror of that name (readiness refuses it as "not mirrored by link"). */
export const ABSENT = "ABSENT";

export interface TopicSample extends TopicLag {
  /** The link's `mirror_status`, or ABSENT. */
  readonly state: string;
}

export interface GroupSync {
  readonly group: string;
  /** Partitions the group has committed offsets on at the source (0: nothing to sync yet). */
  readonly committed: number;
  /** Partitions whose committed offset on the destination is not the source's; empty: synced. */
  readonly unsynced: readonly string[];
}

export interface Sample {
  readonly at: number;
  readonly group: string;
  readonly threshold: number;
  readonly topics: readonly TopicSample[];
  readonly consumerGroups: readonly GroupSync[];
  /** The readiness gate would let the group through now. */
  readonly ready: boolean;
}

export interface SampleClients {
  readonly source: OffsetReader;
  readonly destination: OffsetReader;
  readonly rest: Pick<ClusterLinkRestClient, "listMirrors">;
}

export async function takeSample(
  clients: SampleClients,
  target: LagTarget,
  now: () => number = Date.now,
): Promise<Sample> {
  const wanted = new Set(Object.values(target.topics));
  const [mirrors, lags] = await Promise.all([
    clients.rest.listMirrors(target.link.name).then((ms) => ms.filter((m) => wanted.has(m.mirror_topic_name))),
    lagFromBothClusters(clients.source, clients.destination, target.topics),
  ]);
  const at = now();
  const consumerGroups: GroupSync[] = [];
  for (const group of target.consumerGroups) {
    const { compared, diffs } = await groupOffsetDiffs(
      clients.source,
      clients.destination,
      group,
      target.topics,
      offsetsUnsynced,
    );
    consumerGroups.push({ group, committed: compared, unsynced: diffs });
  }
  const state = new Map(mirrors.map((m) => [m.mirror_topic_name, m.mirror_status]));
  return {
    at,
    group: target.group,
    threshold: target.lagThreshold,
    topics: lags.map((l) => ({ ...l, state: state.get(l.topic) ?? ABSENT })),
    consumerGroups,
    ready: wouldPassReadiness(lags, mirrors, target.lagThreshold),
  };
}
