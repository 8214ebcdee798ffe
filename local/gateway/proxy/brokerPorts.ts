import type { NodeIdRange } from "./config";

/**
 * Port-based broker identification. The node ids of `ranges`, taken in the order given, are numbered
 * 0, 1, 2, ...; node id N with number k is served at `bootstrapPort + 1 + k`. With one range that is
 * `bootstrapPort + 1 + (N - range.start)`; e.g. ranges [1..3] on :9595 give brokers 1,2,3 :9596-:9598.
 */
export class BrokerPorts {
  constructor(
    private readonly bootstrapPort: number,
    private readonly ranges: readonly NodeIdRange[],
  ) {
    for (const r of ranges) {
      if (!Number.isInteger(r.start) || !Number.isInteger(r.end) || r.end < r.start) {
        throw new Error(`bad nodeIdRange ${JSON.stringify(r)}: need integers start <= end`);
      }
    }
  }

  portOf(nodeId: number): number | undefined {
    let offset = 0;
    for (const r of this.ranges) {
      if (nodeId >= r.start && nodeId <= r.end) return this.bootstrapPort + 1 + offset + (nodeId - r.start);
      offset += r.end - r.start + 1;
    }
    return undefined;
  }

  /** Every (node id, port) pair, for opening the listeners. */
  all(): { nodeId: number; port: number }[] {
    const out: { nodeId: number; port: number }[] = [];
    for (const r of this.ranges) {
      for (let n = r.start; n <= r.end; n++) out.push({ nodeId: n, port: this.portOf(n) as number });
    }
    return out;
  }
}
