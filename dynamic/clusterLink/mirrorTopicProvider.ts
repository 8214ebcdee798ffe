/**
 * The mirror topic provider: one mirror of a source topic under a cluster link, over Kafka REST v3.
 * Loaded by path through `delegatingProvider`, so nothing here is serialized into the state.
 *
 * - check:  topic and link names, the mirror name (`<prefix><source topic>`), the destination access;
 *           unknown inputs (preview) are checked at up.
 * - diff:   link, source topic, mirror name or destination cluster changed → replace (delete first); the
 *           API key, the REST endpoint (public or private: only how the mirror is reached), its group or
 *           whether that group is abandoned → update. The mirror's status is an output, never an input:
 *           a mirror the cutover promoted (STOPPED) is this resource's normal end state, not drift, and
 *           is never replaced.
 * - create: `POST …/links/{link}/mirrors`, then waits until the mirror is listed. A retried POST whose first
 *           attempt landed (or an up that crashed after creating) finds the mirror already there: if it is
 *           this link's mirror of the same source topic, it is adopted, as an idempotent producer treats a
 *           duplicate of its own batch as success.
 * - read:   `GET` the mirror: status and partition count.
 * - delete: a STOPPED (promoted) mirror is a regular topic the clients now use: it is forgotten, nothing
 *           is removed. A mirror still mirroring is refused: deleting it would delete a topic that
 *           consumers may be reading, and it is the cutover that ends a mirror (by promoting it). Unless
 *           its group is abandoned (`protection.abandonGroups`): then it is failed over (mirroring stops,
 *           the copy stays as an ordinary topic) and forgotten.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ClusterLinkApiError, type ClusterLinkRestClient, type Mirror } from "../../clients/clusterLinkRest";
import {
  DestinationAccess,
  Failures,
  KAFKA_NAME,
  diffByKeys,
  checkDestination,
  checkString,
  restClient,
  scrubbed,
  sleep,
} from "./inputs";

export interface MirrorTopicInputs extends DestinationAccess {
  readonly linkName: string;
  readonly sourceTopicName: string;
  /** `<cluster.link.prefix><sourceTopicName>`: Confluent requires exactly that name. */
  readonly mirrorTopicName: string;
  /** The migration group whose topic it mirrors, named when its delete is refused. */
  readonly group?: string;
  /** The group's migration is given up: delete fails the mirror over instead of refusing. @default false */
  readonly abandoned?: boolean;
}

export interface MirrorTopicOutputs extends MirrorTopicInputs {
  readonly mirrorStatus: string;
  readonly numPartitions: number;
}

export const MIRROR_REPLACE_KEYS = ["linkName", "sourceTopicName", "mirrorTopicName", "clusterId"] as const;
/** Only how the mirror is reached, or what its delete does: the mirror itself is as it was. */
export const MIRROR_UPDATE_KEYS = [
  "restEndpoint",
  "apiKey",
  "apiSecret",
  "restCaCertificates",
  "group",
  "abandoned",
] as const;

/** How long create waits for a new mirror to be listed. */
const LISTED_WITHIN_MS = 30_000;
/** How long an abandoned mirror's delete waits for its failover to reach STOPPED. */
const FAILED_OVER_WITHIN_MS = 60_000;
const POLL_MS = 250;

export function checkMirrorInputs(news: Record<string, unknown>): pulumi.dynamic.CheckFailure[] {
  const f = new Failures();
  checkDestination(f, news);
  checkString(f, news, "linkName", "the cluster link the mirror belongs to", {
    pattern: KAFKA_NAME,
    patternHelp: "is not a link name (letters, digits, '.', '_' and '-')",
  });
  checkString(f, news, "sourceTopicName", "the topic on the source to mirror", {
    pattern: KAFKA_NAME,
    patternHelp: "is not a Kafka topic name (letters, digits, '.', '_' and '-', at most 249)",
  });
  checkString(f, news, "mirrorTopicName", "the mirror topic's name on the destination", {
    pattern: KAFKA_NAME,
    patternHelp: "is not a Kafka topic name (letters, digits, '.', '_' and '-', at most 249)",
  });
  if (news.group !== undefined) checkString(f, news, "group", "the migration group whose topic it mirrors");
  if (news.abandoned !== undefined && f.known(news.abandoned) && typeof news.abandoned !== "boolean")
    f.add("abandoned", `is ${JSON.stringify(news.abandoned)}; give true or false`);
  const { sourceTopicName: s, mirrorTopicName: m } = news;
  if (typeof s === "string" && typeof m === "string" && KAFKA_NAME.test(s) && KAFKA_NAME.test(m) && !m.endsWith(s)) {
    f.add(
      "mirrorTopicName",
      `is ${JSON.stringify(m)}, but a mirror topic is named <link prefix><source topic>, so it must end with ${JSON.stringify(s)}`,
    );
  }
  return f.list;
}

function describe(i: MirrorTopicInputs): string {
  return `mirror topic ${i.mirrorTopicName} (from ${i.sourceTopicName}) on link ${i.linkName}`;
}

function outs(i: MirrorTopicInputs, m: Mirror): MirrorTopicOutputs {
  return { ...i, mirrorStatus: m.mirror_status, numPartitions: m.num_partitions };
}

async function findMirror(rest: ClusterLinkRestClient, i: MirrorTopicInputs): Promise<Mirror | undefined> {
  try {
    return await rest.getMirror(i.linkName, i.mirrorTopicName);
  } catch (err) {
    if (err instanceof ClusterLinkApiError && err.status === 404) return undefined;
    throw err;
  }
}

/** Confluent's answer to creating a topic that exists (as a mirror or not). */
const TOPIC_ALREADY_EXISTS = 40002;

async function createOrAdopt(rest: ClusterLinkRestClient, i: MirrorTopicInputs): Promise<void> {
  try {
    await rest.createMirror(i.linkName, { source_topic_name: i.sourceTopicName, mirror_topic_name: i.mirrorTopicName });
  } catch (err) {
    if (!(err instanceof ClusterLinkApiError) || err.errorCode !== TOPIC_ALREADY_EXISTS) throw err;
    const existing = await findMirror(rest, i);
    if (existing?.source_topic_name !== i.sourceTopicName) throw err; // an ordinary topic, or another mirror
  }
}

export const provider: pulumi.dynamic.ResourceProvider<MirrorTopicInputs, MirrorTopicOutputs> = {
  async check(_olds, news) {
    return { inputs: news, failures: checkMirrorInputs(news as unknown as Record<string, unknown>) };
  },

  async diff(_id, olds, news) {
    return diffByKeys(olds, news, MIRROR_REPLACE_KEYS, MIRROR_UPDATE_KEYS);
  },

  async create(inputs) {
    const rest = restClient(inputs);
    try {
      await createOrAdopt(rest, inputs);
      const deadline = Date.now() + LISTED_WITHIN_MS;
      for (;;) {
        const m = await findMirror(rest, inputs);
        if (m) return { id: `${inputs.clusterId}/${inputs.linkName}/${inputs.mirrorTopicName}`, outs: outs(inputs, m) };
        if (Date.now() > deadline)
          throw new Error(`accepted, but not listed under the link within ${LISTED_WITHIN_MS} ms`);
        await sleep(POLL_MS);
      }
    } catch (err) {
      throw scrubbed(err, `creating ${describe(inputs)}`, [inputs.apiSecret]);
    }
  },

  async update(_id, _olds, news) {
    // Only how it is reached or what its delete does changed; reading it back proves the new endpoint reaches it.
    const rest = restClient(news);
    try {
      const m = await rest.getMirror(news.linkName, news.mirrorTopicName);
      return { outs: outs(news, m) };
    } catch (err) {
      throw scrubbed(err, `reading ${describe(news)}`, [news.apiSecret]);
    }
  },

  async read(id, props) {
    if (!props)
      throw new Error(`mirror topic ${id}: cannot read without its last known state (import is not supported)`);
    try {
      const m = await findMirror(restClient(props), props);
      return m ? { id, props: outs(props, m) } : {};
    } catch (err) {
      throw scrubbed(err, `reading ${describe(props)}`, [props.apiSecret]);
    }
  },

  async delete(_id, props) {
    const rest = restClient(props);
    let m: Mirror | undefined;
    try {
      m = await findMirror(rest, props);
      // Gone, or promoted: the topic belongs to the clients now. Forget it, remove nothing.
      if (!m || m.mirror_status === "STOPPED") return;
      if (props.abandoned) {
        await failOver(rest, props);
        return;
      }
    } catch (err) {
      throw scrubbed(err, `deleting ${describe(props)}`, [props.apiSecret]);
    }
    const group = props.group ? ` of group ${props.group}` : "";
    throw new Error(
      `${describe(props)}${group} is ${m.mirror_status}: deleting it would delete a topic that consumers may be reading. ` +
        `A mirror ends by being promoted, when its group is cut over (its cutover: true, then pulumi up). ` +
        (props.group
          ? `To give up the migration of group ${props.group} instead, list it in kafka-cutover:protection.abandonGroups and run pulumi up: deleting its mirrors then fails them over (mirroring stops, the copies stay as ordinary topics). `
          : `To give up the migration of this topic instead, fail it over or delete it yourself (confluent kafka mirror failover ${props.mirrorTopicName} --link ${props.linkName}). `) +
        "Then run again.",
    );
  },
};

/**
 * Ends an abandoned group's mirror without deleting data: failover stops it where it is (no wait for lag) and
 * makes it an ordinary, writable topic; the clients stay on the source, so nothing reads or writes it.
 */
async function failOver(rest: ClusterLinkRestClient, i: MirrorTopicInputs): Promise<void> {
  const [result] = await rest.failoverMirrors(i.linkName, { mirror_topic_names: [i.mirrorTopicName] });
  if (result?.error_code) throw new Error(`failover refused: ${result.error_message ?? `error ${result.error_code}`}`);
  const deadline = Date.now() + FAILED_OVER_WITHIN_MS;
  for (;;) {
    const m = await findMirror(rest, i);
    if (!m || m.mirror_status === "STOPPED") return;
    if (Date.now() > deadline)
      throw new Error(`failed over, but still ${m.mirror_status} after ${FAILED_OVER_WITHIN_MS} ms; run again`);
    await sleep(POLL_MS);
  }
}
