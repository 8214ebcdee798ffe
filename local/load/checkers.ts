/**
 * The guarantees a cutover must keep, as checks over what clients saw and what the clusters hold. Each
 * returns the violations it found (empty = the guarantee held), so a test can show them all.
 */

/** One record a producer sent and the broker acknowledged. */
export interface Acked {
  readonly topic: string;
  readonly producer: string;
  readonly seq: number;
  readonly ackedAt: number;
}

/** One record found on a cluster. */
export interface Stored {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly producer: string;
  readonly seq: number;
}

/** No acknowledged record is missing from where the clients' data now lives. */
export function findLost(acked: readonly Acked[], stored: readonly Stored[]): Acked[] {
  const present = new Set(stored.map((s) => `${s.topic}/${s.producer}/${s.seq}`));
  return acked.filter((a) => !present.has(`${a.topic}/${a.producer}/${a.seq}`));
}

/** Records stored more than once (an idempotent producer must have none). */
export function findDuplicates(stored: readonly Stored[]): { key: string; copies: number }[] {
  const counts = new Map<string, number>();
  for (const s of stored)
    counts.set(`${s.topic}/${s.producer}/${s.seq}`, (counts.get(`${s.topic}/${s.producer}/${s.seq}`) ?? 0) + 1);
  return [...counts.entries()].filter(([, n]) => n > 1).map(([key, copies]) => ({ key, copies }));
}

/**
 * Duplicates only a retry across the switch can make: the first copy reached the source (the destination holds
 * it at the same offset, mirrored), its acknowledgement died with the connection of a Gateway pod that went
 * away, and the producer's retry landed on the destination after the switch, past the source's log end.
 * Idempotence does not span two clusters here (the emulator's mirror cannot carry producer ids), so such a
 * record is delivered at least once, not lost. Every other duplicate is `unexplained`.
 */
export function duplicatesAcrossTheSwitch(
  source: readonly Stored[],
  destination: readonly Stored[],
): { acrossTheSwitch: string[]; unexplained: string[] } {
  const sourceEnd = new Map<string, number>();
  for (const s of source)
    sourceEnd.set(`${s.topic}/${s.partition}`, Math.max(sourceEnd.get(`${s.topic}/${s.partition}`) ?? 0, s.offset + 1));
  const copies = new Map<string, Stored[]>();
  for (const d of destination) {
    const key = `${d.topic}/${d.producer}/${d.seq}`;
    copies.set(key, [...(copies.get(key) ?? []), d]);
  }
  const acrossTheSwitch: string[] = [];
  const unexplained: string[] = [];
  for (const [key, all] of copies) {
    if (all.length < 2) continue;
    const [first, ...rest] = [...all].sort((a, b) => a.offset - b.offset);
    const end = (d: Stored) => sourceEnd.get(`${d.topic}/${d.partition}`) ?? 0;
    const where = all.map((d) => `[${d.partition}]@${d.offset}`).join(", ");
    if (rest.length === 1 && first.offset < end(first) && rest[0].offset >= end(rest[0]))
      acrossTheSwitch.push(`${key} at ${where}`);
    else unexplained.push(`${key} at ${where}`);
  }
  return { acrossTheSwitch, unexplained };
}

/** Per producer and partition, sequence numbers must only increase along the log (ordering kept). */
export function findReordered(stored: readonly Stored[]): string[] {
  const last = new Map<string, Stored>();
  const out: string[] = [];
  for (const s of [...stored].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset,
  )) {
    const key = `${s.topic}/${s.partition}/${s.producer}`;
    const prev = last.get(key);
    if (prev && s.seq <= prev.seq)
      out.push(`${key}: seq ${s.seq} at offset ${s.offset} after seq ${prev.seq} at offset ${prev.offset}`);
    last.set(key, s);
  }
  return out;
}

/**
 * Clients were never split: the destination's copy of each partition is the source's log, record for
 * record at the same offsets, followed only by records written after the switch; and nothing was written
 * to the source that is not on the destination (a write to the source after the fence would be lost).
 */
export function findSplit(source: readonly Stored[], destination: readonly Stored[]): string[] {
  const out: string[] = [];
  const dst = new Map(destination.map((d) => [`${d.topic}/${d.partition}/${d.offset}`, d]));
  for (const s of source) {
    const d = dst.get(`${s.topic}/${s.partition}/${s.offset}`);
    if (!d)
      out.push(
        `${s.topic}[${s.partition}]@${s.offset} (${s.producer}#${s.seq}) is on the source but not on the destination`,
      );
    else if (d.producer !== s.producer || d.seq !== s.seq)
      out.push(
        `${s.topic}[${s.partition}]@${s.offset} differs: source ${s.producer}#${s.seq}, destination ${d.producer}#${d.seq}`,
      );
  }
  return out;
}

/** The longest time, over the run, between consecutive moments of progress. */
export function longestGap(times: readonly number[], start: number, end: number): number {
  const sorted = [start, ...[...times].sort((a, b) => a - b), end];
  let gap = 0;
  for (let i = 1; i < sorted.length; i++) gap = Math.max(gap, sorted[i] - sorted[i - 1]);
  return gap;
}

/** One record a consumer received: where it was in the log, and when. */
export interface Consumed {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly producer: string;
  readonly seq: number;
  readonly at: number;
}

/**
 * At-least-once, and no more: a consumer group may receive a record twice only if it was not yet committed
 * when the fence froze the group's offsets, i.e. at or after the group's committed offset for its partition
 * (`committedAtFence`, keyed `topic/partition`). Returns the re-deliveries of records committed before that: a
 * rewind.
 */
export function findRewound(consumed: readonly Consumed[], committedAtFence: ReadonlyMap<string, number>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const c of [...consumed].sort((a, b) => a.at - b.at)) {
    const key = `${c.topic}/${c.partition}/${c.offset}`;
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    const committed = committedAtFence.get(`${c.topic}/${c.partition}`) ?? 0;
    if (c.offset < committed)
      out.push(`${c.topic}[${c.partition}]@${c.offset} delivered again though the group had committed ${committed}`);
  }
  return out;
}
