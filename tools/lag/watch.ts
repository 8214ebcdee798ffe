/**
 * The refresh loop: a sample every interval, shown in place (a terminal) or one block per refresh (a pipe),
 * with each topic's ETA from the drain between the last two samples. It ends with an exit code: 0 once the
 * group would pass readiness (`--until-ready`, `--once`), 1 when `--once` finds it would not, 130 when
 * stopped (Ctrl-C).
 */
import logUpdate from "log-update";
import { eta, type Eta, type LagPoint } from "./eta";
import { renderSample } from "./render";
import { takeSample, type Sample, type SampleClients } from "./sample";
import type { LagTarget } from "./access";

export interface WatchOptions {
  readonly intervalMs: number;
  /** Exit 0 as soon as the group would pass readiness. */
  readonly untilReady: boolean;
  /** One sample, exit 0 if the group would pass readiness, else 1. */
  readonly once: boolean;
  /** Aborted: the loop stops at its next wait and returns 130. */
  readonly signal?: AbortSignal;
  /** Called with every sample taken (tests compare it with readiness's own reading). */
  readonly onSample?: (sample: Sample) => void;
}

/** Where the rendered sample goes. */
export interface Screen {
  show(text: string): void;
  /** Leaves the last text on the terminal. */
  done(): void;
}

/** Redraws in place; only for a terminal, where cursor movement means something. */
export function terminalScreen(): Screen {
  // The cursor stays visible: a Ctrl-C that exits before `done` would otherwise leave the terminal without one.
  const update = logUpdate.create(process.stdout, { showCursor: true });
  return { show: (text) => update(text), done: () => update.done() };
}

/** One block per refresh, for a pipe or a CI log, where a redraw would be escape codes in a file. */
export function blockScreen(write: (text: string) => void = (t) => process.stdout.write(t)): Screen {
  return { show: (text) => write(`${text}\n\n`), done: () => undefined };
}

export const EXIT_READY = 0;
export const EXIT_NOT_READY = 1;
export const EXIT_INTERRUPTED = 130;

export async function watch(
  clients: SampleClients,
  target: LagTarget,
  opts: WatchOptions,
  screen: Screen,
): Promise<number> {
  let previous: Sample | undefined;
  let shown = "";
  try {
    for (;;) {
      if (opts.signal?.aborted) return EXIT_INTERRUPTED;
      let sample: Sample;
      try {
        sample = await takeSample(clients, target);
      } catch (e) {
        // One sample is the whole answer of --once; a watch keeps the last reading and tries again.
        if (opts.once) throw e;
        const failed = `last refresh failed: ${(e as Error).message}; retrying`;
        screen.show(shown ? `${shown}\n${failed}` : `group ${target.group}: ${failed}`);
        if (!(await pause(opts.intervalMs, opts.signal))) return EXIT_INTERRUPTED;
        continue;
      }
      opts.onSample?.(sample);
      shown = renderSample(sample, etasOf(previous, sample));
      screen.show(shown);
      if (opts.once) return sample.ready ? EXIT_READY : EXIT_NOT_READY;
      if (opts.untilReady && sample.ready) return EXIT_READY;
      previous = sample;
      if (!(await pause(opts.intervalMs, opts.signal))) return EXIT_INTERRUPTED;
    }
  } finally {
    screen.done();
  }
}

/** Each topic's ETA from its lag in the previous sample and in this one. */
export function etasOf(previous: Sample | undefined, sample: Sample): Map<string, Eta> {
  const before = new Map<string, LagPoint>(previous?.topics.map((t) => [t.topic, { at: previous.at, lag: t.lag }]));
  return new Map(
    sample.topics.map((t) => [
      t.topic,
      eta(before.get(t.topic), { at: sample.at, lag: t.lag }, sample.threshold, t.missingPartitions.length > 0),
    ]),
  );
}

/** Resolves true after `ms`, false as soon as `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve(true);
    }, ms);
    const stop = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener("abort", stop, { once: true });
  });
}
