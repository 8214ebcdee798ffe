/**
 * A mirror's lag, read from both clusters rather than from the link's summary: per partition, the source's
 * log end minus the mirror topic's on the destination. Cluster Linking's `mirror_lags` come from its last
 * fetch and trail reality; the log ends are what the clients' records are. A partition the mirror does not
 * have yet (the source grew, and the link has not followed) counts in full and is named. The preflight,
 * readiness and caught-up all use this one function.
 */
import { beforeDeadline } from "../../clients/deadline";
import type { OffsetReader } from "./offsets";

export interface TopicLag {
  /** The mirror topic's name (on the destination). */
  readonly topic: string;
  readonly lag: number;
  readonly sourcePartitions: number;
  /** Source partitions the mirror does not have. */
  readonly missingPartitions: readonly number[];
}

async function ends(reader: OffsetReader, topic: string, absentIsEmpty = false): Promise<Map<number, bigint>> {
  try {
    const parts = await beforeDeadline(`fetchTopicOffsets(${topic})`, reader.fetchTopicOffsets(topic));
    return new Map(parts.map((p) => [p.partition, BigInt(p.high)]));
  } catch (e) {
    // A mirror not created yet has every partition missing; the link's own state says why.
    if (absentIsEmpty && (e as { type?: string }).type === "UNKNOWN_TOPIC_OR_PARTITION") return new Map();
    throw e;
  }
}

/** Lag of each mirror in `topics` (source topic → mirror topic). */
export async function lagFromBothClusters(
  source: OffsetReader,
  destination: OffsetReader,
  topics: Readonly<Record<string, string>>,
): Promise<TopicLag[]> {
  return Promise.all(
    Object.entries(topics).map(async ([sourceTopic, mirror]) => {
      const [src, dst] = await Promise.all([ends(source, sourceTopic), ends(destination, mirror, true)]);
      let lag = 0n;
      const missingPartitions: number[] = [];
      for (const [p, end] of src) {
        const copied = dst.get(p);
        if (copied === undefined) missingPartitions.push(p);
        const behind = end - (copied ?? 0n);
        if (behind > 0n) lag += behind;
      }
      return {
        topic: mirror,
        lag: Number(lag),
        sourcePartitions: src.size,
        missingPartitions: missingPartitions.sort(),
      };
    }),
  );
}

/** `orders=12`, and the partitions a mirror lacks: `orders=12 (the mirror lacks partitions 4, 5 of 6)`. */
export function describeLag(l: TopicLag): string {
  return `${l.topic}=${l.lag}${l.missingPartitions.length > 0 ? ` (the mirror lacks partition${l.missingPartitions.length > 1 ? "s" : ""} ${l.missingPartitions.join(", ")} of ${l.sourcePartitions})` : ""}`;
}

/** Caught up: no record behind and no partition missing. */
export function caughtUp(l: TopicLag): boolean {
  return l.lag === 0 && l.missingPartitions.length === 0;
}

/** What readiness needs of a mirror: its name and the link's state for it. */
export type MirrorState = Readonly<{ mirror_topic_name: string; mirror_status: string }>;

/** The group's mirrors the link does not report ACTIVE: readiness refuses on these at once. */
export function mirrorsNotActive<M extends MirrorState>(mirrors: readonly M[]): M[] {
  return mirrors.filter((m) => m.mirror_status !== "ACTIVE");
}

/** Topics readiness waits on: over the threshold, or lacking a partition (its records are nowhere yet, whatever the threshold). */
export function overThreshold(lags: readonly TopicLag[], threshold: number): TopicLag[] {
  return lags.filter((l) => l.lag > threshold || l.missingPartitions.length > 0);
}

/**
 * The readiness gate's rule, shared by the cutover's readiness step and `npm run lag`: every topic's mirror
 * exists and is ACTIVE, and no topic is over the threshold or lacks a partition.
 */
export function wouldPassReadiness(
  lags: readonly TopicLag[],
  mirrors: readonly MirrorState[],
  threshold: number,
): boolean {
  const states = new Map(mirrors.map((m) => [m.mirror_topic_name, m.mirror_status]));
  return (
    lags.every((l) => states.has(l.topic)) &&
    mirrorsNotActive(mirrors).length === 0 &&
    overThreshold(lags, threshold).length === 0
  );
}
