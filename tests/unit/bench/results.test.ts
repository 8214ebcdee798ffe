import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_OPTIONS } from "../../../bench/options";
import { benchResults, resultsFileName, writeResults } from "../../../bench/results";
import { reportMarkdown } from "../../../bench/report";
import { run } from "./fixtures";

const machine = {
  cores: 2,
  memoryGiB: 23.5,
  cpuModel: "AMD EPYC",
  kernel: "Linux",
  node: "v20",
  loadAverageAtStart: 1,
};
const input = {
  startedAt: "2026-11-24T18:43:05.123Z",
  finishedAt: "2026-11-24T19:03:05.000Z",
  wallMs: 1_200_000,
  machine,
  options: DEFAULT_OPTIONS,
  runs: [run(1, 500), run(10, 900)],
};

describe("the results file", () => {
  it("is named by its start time, sortable and without colons", () => {
    expect(resultsFileName("2026-11-24T18:43:05.123Z")).toBe("2026-11-24T18-43-05Z.json");
  });

  it("holds one object per run with issue #9's fields, the summary and the goals", () => {
    const r = benchResults(input);
    expect(r.schema).toBe(1);
    for (const one of r.runs)
      for (const key of [
        "topics",
        "partitions",
        "rate",
        "blockedWindowMs",
        "maxProduceStallMs",
        "maxConsumeGapMs",
        "overheadMs",
        "previewMs",
        "lost",
        "duplicated",
      ])
        expect(one).toHaveProperty(key);
    expect(r.summary.map((s) => s.topics)).toEqual([1, 10]);
    expect(r.goals.length).toBeGreaterThan(0);
  });

  it("writes the dated file, an identical latest.json and the chart", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-results-"));
    try {
      const files = writeResults(dir, input);
      expect(files.map((f) => path.basename(f))).toEqual(["2026-11-24T18-43-05Z.json", "latest.json", "chart.svg"]);
      expect(fs.readFileSync(files[0], "utf8")).toBe(fs.readFileSync(files[1], "utf8"));
      expect(JSON.parse(fs.readFileSync(files[1], "utf8"))).toMatchObject({ schema: 1, startedAt: input.startedAt });
      expect(fs.readFileSync(files[2], "utf8")).toMatch(/^<svg /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the README's results section", () => {
  it("quotes the table, the goals and the machine from the results", () => {
    const text = reportMarkdown(benchResults(input));
    expect(text).toContain("2 cores, 23.5 GiB RAM, AMD EPYC");
    expect(text).toContain("| topics | runs (failed) |");
    expect(text).toContain("| 10 | 1 (0) |");
    expect(text).toContain("| lost = 0 in every run | 0 lost over 2 finished runs (0 failed) | yes |");
    expect(text).not.toContain("Gateway proxy cost");
  });
});
