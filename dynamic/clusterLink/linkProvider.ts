/**
 * The cluster link provider: a destination-initiated link on the destination cluster, over the Kafka
 * REST v3 API (`clients/clusterLinkRest.ts`). Loaded by path through `delegatingProvider`, so nothing
 * here is serialized into the state.
 *
 * - check:  every bad input, per property, with what to do; unknown inputs (preview) are checked at up.
 * - diff:   link name, destination cluster, source cluster id or prefix changed → replace (delete first:
 *           the name is taken); anything else (source address and login, offset sync, group filters, ACL
 *           sync, extra configs, the API key, the REST endpoint, the groups) → update in place. The REST
 *           endpoint is only how the link is reached (public or private): the link stays the same.
 * - create: `POST /links?link_name=…&validate_link=true` (the destination logs in to the source and
 *           checks its cluster id before accepting), then reads the link back.
 * - update: per-key `PUT`/`DELETE …/configs/{name}` of what changed — portable to Confluent Platform,
 *           which answers 405 to `configs:alter`. A new source password is a PUT of `sasl.jaas.config`.
 *           Then reads the link back (through the new REST endpoint, if it changed) and refuses a link
 *           whose id is not the one created: the endpoint must reach the same cluster.
 * - read:   `GET` the link and the behaviour configs, so `pulumi refresh` sees drift.
 * - delete: refused while any mirror topic under the link is not yet promoted (STOPPED), naming each
 *           group not cut over (`groups`) and mirrors of no group: deleting the link would stop their
 *           mirroring mid-migration. Otherwise `DELETE`, never forced.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ClusterLinkApiError, type ClusterLinkRestClient, type Link, type Mirror } from "../../clients/clusterLinkRest";
import { diffByKeys, restClient, scrubbed } from "./inputs";
import { ClusterLinkInputs, ClusterLinkOutputs, checkLinkInputs, configChanges, linkConfigs } from "./linkConfigs";

/** Changing one of these makes a different link. */
export const LINK_REPLACE_KEYS = ["linkName", "clusterId", "sourceClusterId", "prefix"] as const;
/**
 * Changing one of these alters the existing link, or only how we reach it (restEndpoint, apiKey, apiSecret)
 * or what a refused delete names (groups).
 */
export const LINK_UPDATE_KEYS = [
  "sourceBootstrap",
  "securityProtocol",
  "mechanism",
  "username",
  "password",
  "certificatePem",
  "privateKeyPem",
  "sourceCaCertificates",
  "offsetSyncMs",
  "consumerGroups",
  "aclSync",
  "configs",
  "restEndpoint",
  "apiKey",
  "apiSecret",
  "restCaCertificates",
  "groups",
] as const;

function secretsOf(i: Partial<ClusterLinkInputs>): (string | undefined)[] {
  return [i.apiSecret, i.password, i.privateKeyPem];
}

function linkId(i: ClusterLinkInputs): string {
  return `${i.clusterId}/${i.linkName}`;
}

async function outputs(rest: ClusterLinkRestClient, i: ClusterLinkInputs): Promise<ClusterLinkOutputs> {
  const link: Link = await rest.getLink(i.linkName);
  return { ...i, clusterLinkId: link.cluster_link_id, linkState: link.link_state };
}

export const provider: pulumi.dynamic.ResourceProvider<ClusterLinkInputs, ClusterLinkOutputs> = {
  async check(_olds, news) {
    return { inputs: news, failures: checkLinkInputs(news as unknown as Record<string, unknown>) };
  },

  async diff(_id, olds, news) {
    return diffByKeys(olds, news, LINK_REPLACE_KEYS, LINK_UPDATE_KEYS);
  },

  async create(inputs) {
    const rest = restClient(inputs);
    const configs = linkConfigs(inputs);
    try {
      await rest.createLink(
        inputs.linkName,
        {
          source_cluster_id: inputs.sourceClusterId,
          configs: Object.entries(configs).map(([name, value]) => ({ name, value })),
        },
        { validateLink: true },
      );
    } catch (err) {
      throw scrubbed(
        err,
        `creating cluster link ${inputs.linkName} on ${inputs.clusterId} from source ${inputs.sourceClusterId} (${inputs.sourceBootstrap})`,
        secretsOf(inputs),
      );
    }
    try {
      return { id: linkId(inputs), outs: await outputs(rest, inputs) };
    } catch (err) {
      // create must be all or nothing: a link we cannot read back is removed again.
      await rest.deleteLink(inputs.linkName).catch(() => undefined);
      throw scrubbed(err, `reading back the new cluster link ${inputs.linkName} (removed again)`, secretsOf(inputs));
    }
  },

  async update(_id, olds, news) {
    const rest = restClient(news);
    const { set, reset } = configChanges(olds, news);
    try {
      // A new REST endpoint (public → private) must reach this very link before anything is changed through it.
      const before = await outputs(rest, news);
      if (olds.clusterLinkId && before.clusterLinkId !== olds.clusterLinkId)
        throw new Error(
          `${news.restEndpoint} answers for a link ${news.linkName} with id ${before.clusterLinkId}, but this stack's link has id ${olds.clusterLinkId}: ` +
            "give destination.restEndpoint an endpoint of the same cluster (its public or private REST endpoint)",
        );
      if (set.length + reset.length === 0) return { outs: before };
      for (const [name, value] of set) await rest.setLinkConfig(news.linkName, name, value);
      for (const name of reset) await rest.deleteLinkConfig(news.linkName, name);
      return { outs: await outputs(rest, news) };
    } catch (err) {
      throw scrubbed(err, `updating cluster link ${news.linkName} on ${news.clusterId}`, [
        ...secretsOf(olds),
        ...secretsOf(news),
      ]);
    }
  },

  async read(id, props) {
    if (!props)
      throw new Error(`cluster link ${id}: cannot read without its last known state (import is not supported)`);
    const rest = restClient(props);
    try {
      const link = await rest.findLink(props.linkName);
      if (!link) return {};
      const configs = new Map((await rest.getLinkConfigs(props.linkName)).map((c) => [c.name, c.value]));
      const ms = Number(configs.get("consumer.offset.sync.ms"));
      const acl = configs.get("acl.sync.enable");
      return {
        id,
        props: {
          ...props,
          clusterLinkId: link.cluster_link_id,
          linkState: link.link_state,
          ...(Number.isInteger(ms) && ms > 0 ? { offsetSyncMs: ms } : {}),
          ...(acl === "true" || acl === "false" ? { aclSync: acl === "true" } : {}),
        },
      };
    } catch (err) {
      throw scrubbed(err, `reading cluster link ${props.linkName} on ${props.clusterId}`, secretsOf(props));
    }
  },

  async delete(_id, props) {
    const rest = restClient(props);
    let mirrors;
    try {
      if (!(await rest.findLink(props.linkName))) return;
      mirrors = await rest.listMirrors(props.linkName);
    } catch (err) {
      throw scrubbed(err, `deleting cluster link ${props.linkName} on ${props.clusterId}`, secretsOf(props));
    }
    const refusal = deleteRefusal(props, mirrors);
    if (refusal) throw new Error(refusal);
    try {
      await rest.deleteLink(props.linkName);
    } catch (err) {
      if (err instanceof ClusterLinkApiError && err.status === 404) return;
      throw scrubbed(err, `deleting cluster link ${props.linkName} on ${props.clusterId}`, secretsOf(props));
    }
  },
};

/**
 * Why the link may not be deleted yet, or undefined when it may: a group is cut over once every one of its
 * mirrors is promoted (STOPPED), and until then deleting the link stops the mirroring its cutover needs.
 * Exported for tests.
 */
export function deleteRefusal(props: ClusterLinkInputs, mirrors: readonly Mirror[]): string | undefined {
  const mirroring = mirrors.filter((m) => m.mirror_status !== "STOPPED");
  if (mirroring.length === 0) return undefined;
  const state = (m: Mirror) => `${m.mirror_topic_name} (${m.mirror_status})`;
  const claimed = new Set<string>();
  const lines: string[] = [];
  for (const g of props.groups ?? []) {
    const mine = mirroring.filter((m) => g.mirrorTopics.includes(m.mirror_topic_name));
    mine.forEach((m) => claimed.add(m.mirror_topic_name));
    if (mine.length > 0) lines.push(`group ${g.name} is not cut over: ${mine.map(state).join(", ")}`);
  }
  const others = mirroring.filter((m) => !claimed.has(m.mirror_topic_name));
  if (others.length > 0) lines.push(`in no group of this stack: ${others.map(state).join(", ")}`);
  const what = [
    lines.some((l) => l.startsWith("group "))
      ? "cut each group over (its cutover: true, then pulumi up), or, to give up its migration, list it in kafka-cutover:protection.abandonGroups and run pulumi up, so that deleting its mirror topics fails them over"
      : undefined,
    others.length > 0
      ? `promote, fail over or delete the mirrors of no group yourself (confluent kafka mirror failover <topic> --link ${props.linkName})`
      : undefined,
  ].filter((x): x is string => x !== undefined);
  return (
    `cluster link ${props.linkName} on ${props.clusterId} still mirrors ${mirroring.length} topic(s) that are not promoted, ` +
    `and deleting it would stop their mirroring while their clients still depend on the source:\n${lines.map((l) => `  ${l}`).join("\n")}\n` +
    `To delete it, ${what.join("; and ")}; then run again.`
  );
}
