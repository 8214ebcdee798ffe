import { mirrorNotes } from "../../../dynamic/cutover/preflight";

const mirror = (i: number, lag = 0, status = "ACTIVE") => ({ topic: `t.${i}`, status, lag });

describe("the preview's notes on mirrors that block nothing", () => {
  it("give each mirror of a small group a line, saying when readiness will wait for its lag", () => {
    expect(mirrorNotes([mirror(1), mirror(2, 5_000)], 1_000, 60_000)).toEqual([
      "t.1: ACTIVE, lag 0",
      "t.2: ACTIVE, lag 5000 (over the threshold 1000: readiness waits up to 60000 ms for it to drain)",
    ]);
  });

  it("sum up a 100-topic group in one line and still name every mirror over the threshold", () => {
    const mirrors = Array.from({ length: 100 }, (_, i) => mirror(i, i === 42 ? 2_000 : 1));
    mirrors[7] = mirror(7, 0, "STOPPED");
    expect(mirrorNotes(mirrors, 1_000, 60_000)).toEqual([
      "100 mirror topics: 99 ACTIVE, 1 STOPPED, total lag 2098, largest t.42 (2000)",
      "t.42: ACTIVE, lag 2000 (over the threshold 1000: readiness waits up to 60000 ms for it to drain)",
    ]);
  });
});
