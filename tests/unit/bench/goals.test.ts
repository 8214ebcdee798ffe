import { checkGoals } from "../../../bench/goals";
import type { ProxyCost } from "../../../bench/proxyCost";
import { summarize } from "../../../bench/summary";
import { failed, run } from "./fixtures";

const proxy = (throughputRatio: number) => ({ throughputRatio }) as ProxyCost;

describe("the goals report", () => {
  it("meets each goal within its limit and misses it beyond", () => {
    const runs = [
      run(10, 900, { overheadMs: 80 }),
      run(100, 3_500, { previewMs: 9_000, idlePreviewMs: 4_000, overheadMs: 120 }),
    ];
    const goals = checkGoals(summarize(runs), runs, proxy(0.85));
    expect(goals.map((g) => [g.goal.slice(0, 30), g.met])).toEqual([
      ["blocked window median <= 1 s f", true],
      ["blocked window median <= 3 s f", false],
      ["our overhead <= 100 ms (worst ", false],
      ["lost = 0 in every run", true],
      ["preview of a 100-topic group <", true],
      ["Gateway route: at most 20% les", true],
    ]);
    expect(goals[4].measured).toBe("4000 ms (under load: 9000 ms)");
    expect(goals[5].measured).toBe("15% less");
  });

  it("says not measured, neither met nor missed, for what did not run", () => {
    const runs = [run(1, 500)];
    const goals = checkGoals(summarize(runs), runs, undefined);
    expect(goals.filter((g) => g.met === undefined).map((g) => g.measured)).toEqual([
      "not measured",
      "not measured",
      "not measured",
      "not measured",
    ]);
  });

  it("does not count lost = 0 as met when a run failed", () => {
    const runs = [run(1, 500), failed(1)];
    const lostGoal = checkGoals(summarize(runs), runs, proxy(0.5)).find((g) => g.goal.startsWith("lost"));
    expect(lostGoal).toEqual({
      goal: "lost = 0 in every run",
      measured: "0 lost over 1 finished runs (1 failed)",
      met: false,
    });
  });
});
