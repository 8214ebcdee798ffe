/**
 * Records a promoted mirror topic will never get: once a mirror is STOPPED it copies nothing more, so a record
 * the source took afterwards (the route still open after a crash, or a client around the Gateway) exists on
 * the source only. Told apart per partition from both clusters' log-end offsets, which the link preserves.
 */
import { OffsetReader, logEndOffsets } from "./offsets";

export interface Divergence {
  readonly topic: string;
  readonly mirror: string;
  readonly partition: number;
  readonly sourceEnd: bigint;
  /** The promoted destination topic's log end; 0 for a partition it does not have. */
  readonly destinationEnd: bigint;
}

/** Partitions of the promoted topics (source → mirror name) where the source's log end is past the destination's. */
export async function promotedBehindSource(
  source: OffsetReader,
  destination: OffsetReader,
  promoted: Readonly<Record<string, string>>,
): Promise<Divergence[]> {
  const topics = Object.keys(promoted);
  if (topics.length === 0) return [];
  const [onSource, onDestination] = await Promise.all([
    logEndOffsets(source, topics),
    logEndOffsets(destination, Object.values(promoted)),
  ]);
  const out: Divergence[] = [];
  for (const topic of topics) {
    const mirror = promoted[topic];
    for (const [p, end] of Object.entries(onSource[topic] ?? {})) {
      const sourceEnd = BigInt(end);
      const destinationEnd = BigInt(onDestination[mirror]?.[Number(p)] ?? "0");
      if (sourceEnd > destinationEnd) out.push({ topic, mirror, partition: Number(p), sourceEnd, destinationEnd });
    }
  }
  return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/** `orders[0]: 4 records (offsets 100..103) on the source only (source log end 104, destination 100)`, joined. */
export function describeDivergence(diverged: readonly Divergence[]): string {
  return diverged
    .map((d) => {
      const n = d.sourceEnd - d.destinationEnd;
      const which =
        n === 1n
          ? `1 record (offset ${d.destinationEnd})`
          : `${n} records (offsets ${d.destinationEnd}..${d.sourceEnd - 1n})`;
      const name = d.mirror === d.topic ? d.topic : `${d.topic} (mirror ${d.mirror})`;
      return `${name}[${d.partition}]: ${which} on the source only (source log end ${d.sourceEnd}, destination ${d.destinationEnd})`;
    })
    .join("; ");
}

/** Where the route stands when the records are found missing. */
export type RouteAtRefusal = "open" | "fenced" | "fenced-and-promoted";

/** Why a run refuses to finish, and the way on: copy the records so both log ends agree, then run up again. */
export function lostRecordsReason(group: string, diverged: readonly Divergence[], route: RouteAtRefusal): string {
  const total = diverged.reduce((n, d) => n + (d.sourceEnd - d.destinationEnd), 0n);
  const copy = `copy the records at those offsets from each source partition to the same partition of the destination topic, in order, with their keys, headers and timestamps (nothing else writes to the destination topic before the switch, so they land at the same offsets), until both log ends agree; then run pulumi up again`;
  return [
    `group ${group}: promoted mirror topics lack ${total} record${total === 1n ? "" : "s"} the source took after their promotion: ${describeDivergence(diverged)}.`,
    `A promoted mirror copies nothing more, so switching the clients to the destination would lose them.`,
    route === "open"
      ? `The route still leads to the source, unfenced: the group's clients keep writing there and the gap grows. Nothing was changed. To go on: stop the group's producers of these topics; then ${copy}.`
      : route === "fenced"
        ? `The route is fenced, so the gap no longer grows unless something writes to the source around the Gateway. Nothing was changed. To go on: ${copy}.`
        : `The route stays fenced (clients held); nothing can be rolled back past promotion. To go on: find what wrote to the source, then ${copy} to switch.`,
    `Consumers that read those records on the source committed past them there, not on the destination: after the switch they read them again.`,
  ].join(" ");
}
