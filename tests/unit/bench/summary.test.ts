import { markdownTable, summarize } from "../../../bench/summary";
import { failed, run } from "./fixtures";

describe("the per-size summary", () => {
  const runs = [run(1, 900), run(1, 700), run(1, 800), run(10, 1_200, { lost: 2 }), run(10, 1_000), failed(10)];

  it("takes the median and max over the finished runs of each size, and counts the failed ones", () => {
    const [one, ten] = summarize(runs);
    expect(one).toMatchObject({ topics: 1, runs: 3, failed: 0, blockedWindowMs: { median: 800, max: 900 } });
    expect(ten).toMatchObject({ topics: 10, runs: 3, failed: 1, blockedWindowMs: { median: 1_100, max: 1_200 } });
    expect(ten.lost).toBe(2);
  });

  it("renders one table row per size with median / max cells", () => {
    const table = markdownTable(summarize(runs)).split("\n");
    expect(table).toHaveLength(4);
    expect(table[0]).toMatch(/^\| topics \| runs \(failed\) \|/);
    expect(table[2]).toMatch(/^\| 1 \| 3 \(0\) \| .* \| 800 \/ 900 \|/);
    expect(table[3]).toMatch(/^\| 10 \| 3 \(1\) \| .* \| 1100 \/ 1200 \|.* \| 2 \| 0 \|$/);
  });

  it("shows a size with no finished run as dashes", () => {
    expect(markdownTable(summarize([failed(100)]))).toContain("| 100 | 1 (1) | – / – |");
    // As read back from a results file, where JSON turned NaN into null.
    const readBack = JSON.parse(JSON.stringify(summarize([failed(100)]))) as ReturnType<typeof summarize>;
    expect(markdownTable(readBack)).toContain("| 100 | 1 (1) | – / – | – / – |");
  });
});
