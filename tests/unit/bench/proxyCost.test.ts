import { PROXY_SETTINGS, ProduceTrial, summarizeProxy } from "../../../bench/proxyCost";

function trial(
  target: "direct" | "route",
  kind: "throughput" | "latency",
  recordsPerSec: number,
  p99Ms = 0,
): ProduceTrial {
  return {
    target,
    kind,
    records: recordsPerSec,
    seconds: 1,
    recordsPerSec,
    mbPerSec: recordsPerSec / 1024,
    p50Ms: 1,
    p99Ms,
  };
}

describe("the proxy cost", () => {
  it("compares the medians of route and direct", () => {
    const cost = summarizeProxy({ ...PROXY_SETTINGS, seconds: 1 }, [
      trial("direct", "throughput", 10_000),
      trial("direct", "throughput", 12_000),
      trial("direct", "throughput", 11_000),
      trial("route", "throughput", 8_000),
      trial("route", "throughput", 9_900),
      trial("route", "throughput", 1_000),
      trial("direct", "latency", 200, 4),
      trial("route", "latency", 200, 6.5),
    ]);
    expect(cost.direct.recordsPerSec).toBe(11_000);
    expect(cost.route.recordsPerSec).toBe(8_000);
    expect(cost.throughputRatio).toBe(0.727);
    expect(cost.p99AddedMs).toBe(2.5);
    expect(cost.settings).toMatchObject({ recordBytes: 1_024, acks: "all", compression: "none" });
  });
});
