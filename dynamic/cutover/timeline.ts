import type { TimelineEntry } from "./inputs";
import type { Progress } from "./progress";

/** Records each step's start, end and outcome, and tells the operator as it goes. */
export class Timeline {
  readonly entries: TimelineEntry[] = [];
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
