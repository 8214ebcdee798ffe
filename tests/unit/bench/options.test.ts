import { DEFAULT_OPTIONS, parseOptions } from "../../../bench/options";

describe("bench options", () => {
  it("defaults to issue #9's full bench", () => {
    expect(parseOptions([])).toEqual(DEFAULT_OPTIONS);
    expect(DEFAULT_OPTIONS).toMatchObject({ sizes: [1, 10, 100], repeats: 5, rate: 2_000, partitions: 3 });
  });

  it("takes the quick run", () => {
    expect(parseOptions(["--sizes", "1,10", "--repeats", "1"])).toMatchObject({ sizes: [1, 10], repeats: 1 });
    expect(parseOptions(["--proxy-only"])).toMatchObject({ cutovers: false, proxy: true });
    expect(parseOptions(["--no-proxy"])).toMatchObject({ cutovers: true, proxy: false });
    expect(parseOptions(["--records-per-send", "1", "--producers", "8"])).toMatchObject({
      recordsPerSend: 1,
      producers: 8,
    });
  });

  it("refuses what it does not know, with the usage", () => {
    expect(() => parseOptions(["--size", "1"])).toThrow(/unknown option --size\nnpm run bench/);
    expect(() => parseOptions(["--repeats", "0"])).toThrow(/--repeats needs a positive integer/);
    expect(() => parseOptions(["--sizes", "1,x"])).toThrow(/--sizes needs a positive integer/);
    expect(() => parseOptions(["--rate"])).toThrow(/--rate needs a positive integer/);
  });
});
