/** `npm run bench -- [options]`: what to run. The defaults are issue #9's full bench. */

export interface BenchOptions {
  /** Topics per group, one size per entry. */
  readonly sizes: readonly number[];
  readonly repeats: number;
  /** Records/s per group, over all its topics. */
  readonly rate: number;
  /** Producers sharing the rate (one producer has one send in flight). */
  readonly producers: number;
  /** Records per send: 2,000 records/s as single-record sends is more than 2 cores can drive. */
  readonly recordsPerSend: number;
  readonly partitions: number;
  /** Load before and after the cutover. */
  readonly settleMs: number;
  readonly proxy: boolean;
  readonly cutovers: boolean;
  /** Seconds per proxy measurement (each of: direct and route, throughput and latency, per trial). */
  readonly proxySeconds: number;
  readonly proxyTrials: number;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  sizes: [1, 10, 100],
  repeats: 5,
  rate: 2_000,
  producers: 4,
  recordsPerSend: 10,
  partitions: 3,
  settleMs: 3_000,
  proxy: true,
  cutovers: true,
  proxySeconds: 6,
  proxyTrials: 3,
};

export const USAGE = `npm run bench -- [--sizes 1,10,100] [--repeats 5] [--rate 2000] [--producers 4]
                    [--records-per-send 10]
                    [--settle-ms 3000] [--no-proxy | --proxy-only] [--proxy-seconds 6] [--proxy-trials 3]
quick: npm run bench -- --sizes 1,10 --repeats 1`;

/** Parses argv (after the script name); throws with the usage on anything it does not know. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  let o: BenchOptions = { ...DEFAULT_OPTIONS };
  const positiveInt = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n <= 0)
      throw new Error(`${flag} needs a positive integer\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case "--sizes": {
        const v = value();
        o = { ...o, sizes: (v ?? "").split(",").map((s) => positiveInt("--sizes", s.trim())) };
        break;
      }
      case "--repeats":
        o = { ...o, repeats: positiveInt(flag, value()) };
        break;
      case "--rate":
        o = { ...o, rate: positiveInt(flag, value()) };
        break;
      case "--producers":
        o = { ...o, producers: positiveInt(flag, value()) };
        break;
      case "--records-per-send":
        o = { ...o, recordsPerSend: positiveInt(flag, value()) };
        break;
      case "--settle-ms":
        o = { ...o, settleMs: positiveInt(flag, value()) };
        break;
      case "--proxy-seconds":
        o = { ...o, proxySeconds: positiveInt(flag, value()) };
        break;
      case "--proxy-trials":
        o = { ...o, proxyTrials: positiveInt(flag, value()) };
        break;
      case "--no-proxy":
        o = { ...o, proxy: false };
        break;
      case "--proxy-only":
        o = { ...o, cutovers: false, proxy: true };
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return o;
}
