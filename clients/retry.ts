/**
 * Exponential backoff with jitter, shaped like the Apache Kafka clients' `retry.backoff.ms` /
 * `retry.backoff.max.ms`: the n-th wait is initial × multiplier^n, scaled by a random factor in
 * [1 − jitter, 1 + jitter], capped at max.
 */
export interface RetryPolicy {
  initialBackoffMs: number;
  maxBackoffMs: number;
  multiplier: number;
  /** 0.2 = ±20 %. */
  jitter: number;
  /** Total attempts including the first. */
  maxAttempts: number;
  /** Connection refused/reset is retried only while this long has passed since the first attempt. */
  connectionErrorWindowMs: number;
}

/** The Kafka clients' defaults: 100 ms, doubling, up to 1 s. */
export const defaultRetryPolicy: RetryPolicy = {
  initialBackoffMs: 100,
  maxBackoffMs: 1_000,
  multiplier: 2,
  jitter: 0.2,
  maxAttempts: 6,
  connectionErrorWindowMs: 10_000,
};

/** For tests: the same shape, milliseconds instead of seconds. */
export const fastRetryPolicy: RetryPolicy = {
  initialBackoffMs: 5,
  maxBackoffMs: 20,
  multiplier: 2,
  jitter: 0.2,
  maxAttempts: 4,
  connectionErrorWindowMs: 500,
};

/** Wait before retry number `retry` (0 for the first retry). */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const term = policy.initialBackoffMs * Math.pow(policy.multiplier, retry);
  const factor = policy.jitter > 0 ? 1 - policy.jitter + random() * 2 * policy.jitter : 1;
  return Math.min(policy.maxBackoffMs, Math.round(term * factor));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
