import { max, median, percentile, rateWithin } from "../../../bench/stats";

describe("bench statistics", () => {
  it("takes the middle value, or the mean of the two middle ones, whatever the order", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("finds the max without spreading into Math.max", () => {
    expect(max([3, 9, -1])).toBe(9);
    expect(max(Array.from({ length: 200_000 }, (_, i) => i))).toBe(199_999);
    expect(max([])).toBeNaN();
  });

  it("uses the nearest rank for percentiles", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3, 1000], 99)).toBe(1000);
  });

  it("counts events per second inside a half-open window", () => {
    expect(rateWithin([0, 100, 500, 999, 1000], 0, 1000)).toBe(4);
    expect(rateWithin([0, 1, 2], 0, 500)).toBe(6);
    expect(rateWithin([1], 5, 5)).toBe(0);
  });
});
