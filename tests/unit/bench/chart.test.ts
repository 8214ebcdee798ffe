import { chartSvg, niceCeil, ticks } from "../../../bench/chart";
import { failed, run } from "./fixtures";

describe("the results chart", () => {
  it("tops the axis at the next 1, 2 or 5 × 10^k", () => {
    expect([1, 3, 7, 10, 11, 1_700, 2_001, 49_000].map(niceCeil)).toEqual([1, 5, 10, 10, 20, 2_000, 5_000, 50_000]);
    expect(niceCeil(0)).toBe(1);
    expect(ticks(2_000)).toEqual([0, 400, 800, 1_200, 1_600, 2_000]);
  });

  it("draws a dot per finished run and series, a median line per series, and a label per size", () => {
    const svg = chartSvg([run(1, 500), run(1, 700), run(10, 900), failed(100)], "t");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(3 * 3);
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg).toContain(">10</text>");
    expect(svg).not.toContain(">100</text>");
    // The y axis tops at 2000 (the largest value is the fixture's 1900 ms consume gap).
    expect(svg).toContain(">2000</text>");
  });

  it("places a larger value higher (smaller y)", () => {
    const svg = chartSvg([run(1, 200), run(10, 1_000)], "t");
    const reds = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)" r="3" fill="#d62728"/g)].map((m) => Number(m[1]));
    expect(reds).toHaveLength(2);
    expect(reds[1]).toBeLessThan(reds[0]);
  });
});
