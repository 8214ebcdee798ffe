/** The few statistics the bench reports: median, max and nearest-rank percentiles. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function max(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((m, v) => (v > m ? v : m), -Infinity);
}

/** Nearest-rank percentile (p in 0..100): the smallest value with at least p% of values at or under it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(rank, s.length) - 1];
}

/** Events per second over [from, to) among `times` (ms since epoch). */
export function rateWithin(times: readonly number[], from: number, to: number): number {
  if (to <= from) return 0;
  const n = times.filter((t) => t >= from && t < to).length;
  return (n * 1000) / (to - from);
}
