/**
 * The mirror topic provider: one mirror of a source topic under a cluster link, over Kafka REST v3.
 * Loaded by path through `delegatingProvider`, so nothing here is serialized into the state.
 *
 * - check:  topic and link names, the mirror name (`<prefix><source topic>`), the destination access;
 *           unknown inputs (preview) are checked at up.
 * - diff:   link, source topic, mirror name, destination cluster or REST endpoint changed → replace
 *           (delete first); the API key → update. The mirror's status is an output, never an input:
 *           a mirror the cutover promoted (STOPPED) is this resource's normal end state, not drift, and
 *           is never replaced.
 * - create: `POST …/links/{link}/mirrors`, then waits until the mirror is listed. A retried POST whose first
 *           attempt landed (or an up that crashed after creating) finds the mirror already there: if it is
 *           this link's mirror of the same source topic, it is adopted, as an idempotent producer treats a
 *           duplicate of its own batch as success.
 * - read:   `GET` the mirror: status and partition count.
 * - delete: a STOPPED (promoted) mirror is a regular topic the clients now use: it is forgotten, nothing
 *           is removed. A mirror still mirroring is refused: deleting it would delete a topic that
 *           consumers may be reading, and it is the cutover that ends a mirror (by promoting it).
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
}

export interface MirrorTopicOutputs extends MirrorTopicInputs {
  readonly mirrorStatus: string;
  readonly numPartitions: number;
}

export const MIRROR_REPLACE_KEYS = [
  "linkName",
  "sourceTopicName",
  "mirrorTopicName",
  "clusterId",
  "restEndpoint",
] as const;
export const MIRROR_UPDATE_KEYS = ["apiKey", "apiSecret"] as const;

/** How long create waits for a new mirror to be listed. */
const LISTED_WITHIN_MS = 30_000;
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
    // Only the API key can change in place; the mirror itself is as it was.
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
    let m: Mirror | undefined;
    try {
      m = await findMirror(restClient(props), props);
    } catch (err) {
      throw scrubbed(err, `deleting ${describe(props)}`, [props.apiSecret]);
    }
    // Gone, or promoted: the topic belongs to the clients now. Forget it, remove nothing.
    if (!m || m.mirror_status === "STOPPED") return;
    throw new Error(
      `${describe(props)} is ${m.mirror_status}: deleting it would delete a topic that consumers may be reading. ` +
        "A mirror ends by being promoted, when its group is cut over (groups[].cutover: true); " +
        "to abandon the migration of this topic instead, fail it over or delete it yourself " +
        `(confluent kafka mirror failover ${props.mirrorTopicName} --link ${props.linkName}), then run again.`,
    );
  },
};
