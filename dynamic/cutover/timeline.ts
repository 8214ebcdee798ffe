import type { BlockedWindow, TimelineEntry, WaitedOn } from "./inputs";
import type { Progress } from "./progress";

/** Records each step's start, end and outcome, and tells the operator as it goes. */
export class Timeline {
  readonly entries: TimelineEntry[] = [];
  /** Spans spent waiting on another service, so the blocked window can be split into theirs and ours. */
  readonly waits: { readonly on: WaitedOn; readonly start: number; readonly end: number }[] = [];
  private readonly started = Date.now();

  constructor(private readonly progress: Progress) {}

  elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1)} s`;
  }

  /** Runs `fn` as step `step`; records it as done, or failed with the error's message, and rethrows. */
  async step<T>(step: string, fn: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
    const start = Date.now();
    this.progress.status(`${step}… (${this.elapsed()})`);
    try {
      const result = await fn();
      const detail = describe?.(result);
      this.record(step, start, "done", detail);
      this.progress.info(`${step}: done in ${Date.now() - start} ms${detail ? `: ${detail}` : ""}`);
      return result;
    } catch (e) {
      this.record(step, start, "failed", (e as Error).message);
      this.progress.warn(`${step}: failed after ${Date.now() - start} ms: ${(e as Error).message}`);
      throw e;
    }
  }

  /** Runs `fn`, counting its whole time (success or not) as waiting on `on`. */
  async waitOn<T>(on: WaitedOn, fn: () => Promise<T>): Promise<T> {
    const start = Date.now();
    try {
      return await fn();
    } finally {
      this.waits.push({ on, start, end: Date.now() });
    }
  }

  /** The blocked window from `from` to `to` (ms since epoch), with the time waited on each service inside it. */
  blockedWindow(from: number, to: number): BlockedWindow {
    return {
      fenceAppliedAt: new Date(from).toISOString(),
      switchAppliedAt: new Date(to).toISOString(),
      durationMs: to - from,
      waitedMs: {
        gateway: this.waitedWithin("gateway", from, to),
        "cluster-linking": this.waitedWithin("cluster-linking", from, to),
      },
    };
  }

  /** Milliseconds of [from, to] covered by waits on `on`; overlapping waits count once. */
  waitedWithin(on: WaitedOn, from: number, to: number): number {
    const spans = this.waits
      .filter((w) => w.on === on)
      .map((w) => [Math.max(w.start, from), Math.min(w.end, to)] as const)
      .filter(([s, e]) => e > s)
      .sort((a, b) => a[0] - b[0]);
    let total = 0;
    let reached = from;
    for (const [s, e] of spans) {
      if (e <= reached) continue;
      total += e - Math.max(s, reached);
      reached = e;
    }
    return total;
  }

  record(step: string, start: number, outcome: TimelineEntry["outcome"], detail?: string): void {
    const end = Date.now();
    this.entries.push({
      step,
      startedAt: new Date(start).toISOString(),
      endedAt: new Date(end).toISOString(),
      durationMs: end - start,
      outcome,
      ...(detail ? { detail } : {}),
    });
  }
}
