import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import type { KafkaPairEndpoints } from "../../../local/kafka";

/** A name no other test (or earlier run) uses: `<prefix>-<time>-<random>`, valid as a Kafka topic or group. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

/** Rejects with `TimeoutError` if `promise` does not settle within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what = "operation"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class TimeoutError extends Error {
  override name = "TimeoutError";
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  what?: string;
}

/**
 * Retries `attempt` until it resolves (returning its value) or the deadline passes (throwing the last error).
 * For conditions that become true asynchronously, e.g. an ACL reaching the broker.
 */
export async function eventually<T>(attempt: () => Promise<T>, opts: WaitOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw new TimeoutError(`${opts.what ?? "condition"} not met within ${timeoutMs} ms: ${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 200));
  }
}

/** Polls a synchronous predicate until true. */
export async function waitUntil(predicate: () => boolean, opts: WaitOptions = {}): Promise<void> {
  await eventually(async () => {
    if (!predicate()) throw new Error("predicate still false");
  }, opts);
}

/** The endpoints of the environment globalSetup started (or found running). */
export function endpointsPath(): string {
  const file = process.env.KAFKA_CUTOVER_ENDPOINTS;
  if (!file) throw new Error("KAFKA_CUTOVER_ENDPOINTS is not set: run through jest's integration project or npm test");
  return file;
}

export function loadEndpoints(): KafkaPairEndpoints {
  return JSON.parse(fs.readFileSync(endpointsPath(), "utf8")) as KafkaPairEndpoints;
}

/** State dir of the shared environment (createScramUser/createApiKey need it). */
export function stateDir(): string {
  const dir = process.env.KAFKA_CUTOVER_STATE;
  if (!dir) throw new Error("KAFKA_CUTOVER_STATE is not set: run through jest's integration project or npm test");
  return dir;
}
