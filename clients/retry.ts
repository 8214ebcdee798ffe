/**
 * Exponential backoff with jitter, shaped like the Apache Kafka clients' `retry.backoff.ms` /
 * `retry.backoff.max.ms`: the n-th wait is initial × multiplier^n, scaled by a random factor in
 * [1 − jitter, 1 + jitter], capped at max.
 */
import { StepDeadlineExceeded, currentBudget, remainingMs } from "./deadline";

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

/**
 * An error that says where it was born whether asking again can help, as Apache Kafka's clients mark
 * `RetriableException`s: the retry loop below never guesses from a message.
 */
export interface ClassifiedError extends Error {
  readonly retriable: boolean;
  /** No answer at all (refused, reset): retried only within the policy's connection-error window. */
  readonly noResponse: boolean;
}

function isClassified(e: unknown): e is ClassifiedError {
  return e instanceof Error && typeof (e as Partial<ClassifiedError>).retriable === "boolean";
}

export interface RetryingOptions {
  readonly policy: RetryPolicy;
  /** The call, as an error names it (`GET /apis/…`). */
  readonly what: string;
  /** The longest one attempt may take; the running step's remaining budget shortens it. */
  readonly attemptTimeoutMs: number;
  /** The error to throw when the attempts run out or an answer is final, told how many were made. */
  readonly giveUp?: (last: ClassifiedError, attempts: number) => Error;
}

/**
 * Calls `attempt` until it succeeds, its error is final, the policy's attempts or connection-error window
 * run out, or the running step's deadline (clients/deadline.ts) would pass during the next wait. Each
 * attempt gets at most the time left in the step. Errors that are not `ClassifiedError`s are bugs and
 * pass straight through.
 */
export async function retrying<T>(attempt: (timeoutMs: number) => Promise<T>, options: RetryingOptions): Promise<T> {
  const { policy, what } = options;
  const giveUp = options.giveUp ?? ((last: ClassifiedError) => last);
  const started = Date.now();
  for (let attempts = 1; ; attempts++) {
    const left = remainingMs();
    if (left <= 0) throw new StepDeadlineExceeded(currentBudget()?.step ?? "", what);
    try {
      return await attempt(Math.max(1, Math.min(options.attemptTimeoutMs, left)));
    } catch (e) {
      if (!isClassified(e)) throw e;
      // An attempt the step's budget cut short is the step's deadline, not the call's own failure.
      if (remainingMs() <= 0) throw new StepDeadlineExceeded(currentBudget()?.step ?? "", what, e.message);
      const outOfWindow = e.noResponse && Date.now() - started > policy.connectionErrorWindowMs;
      if (!e.retriable || outOfWindow || attempts >= policy.maxAttempts) throw giveUp(e, attempts);
      const wait = backoffMs(policy, attempts - 1);
      if (wait >= remainingMs())
        throw new StepDeadlineExceeded(currentBudget()?.step ?? "", `${what} (${attempts} attempts)`, e.message);
      await sleep(wait);
    }
  }
}
