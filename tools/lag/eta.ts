/**
 * How long until a topic's lag falls to the group's threshold (where readiness lets it through), from the
 * drain rate observed between the last two refreshes. One sample says nothing about a rate; a lag that grew
 * or stood still is not draining, however small it is.
 */

/** A topic's lag at one instant. */
export interface LagPoint {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly lag: number;
}

export type Eta =
  | { readonly kind: "unknown" }
  | { readonly kind: "ready" }
  | { readonly kind: "not-draining" }
  | { readonly kind: "draining"; readonly ms: number; readonly recordsPerSec: number };

/**
 * `previous` and `latest` are the topic's last two samples (`previous` unset before the second). A topic
 * lacking a partition is never "ready" by its lag alone: readiness waits for the partition, so the caller
 * passes `missing`.
 */
export function eta(previous: LagPoint | undefined, latest: LagPoint, threshold: number, missing = false): Eta {
  if (latest.lag <= threshold && !missing) return { kind: "ready" };
  if (!previous || latest.at <= previous.at) return { kind: "unknown" };
  const drained = previous.lag - latest.lag;
  if (drained <= 0) return { kind: "not-draining" };
  const recordsPerSec = (drained * 1000) / (latest.at - previous.at);
  // A missing partition's records count in the lag too, so draining to the threshold is still the estimate.
  const toGo = Math.max(latest.lag - threshold, 0);
  return { kind: "draining", ms: Math.ceil((toGo / recordsPerSec) * 1000), recordsPerSec };
}

/** `—`, `ready`, `not draining`, or `~1m 05s (120 rec/s)`. */
export function formatEta(e: Eta): string {
  switch (e.kind) {
    case "unknown":
      return "—";
    case "ready":
      return "ready";
    case "not-draining":
      return "not draining";
    case "draining":
      return `~${formatDuration(e.ms)} (${Math.round(e.recordsPerSec)} rec/s)`;
  }
}

export function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}
