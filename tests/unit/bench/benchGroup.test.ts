import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { benchGroup, benchStackConfig } from "../../../bench/benchGroup";

describe("the bench group and its stack config", () => {
  it("names topics so they sort and stay unique per size and repeat", () => {
    const g = benchGroup(100, 3);
    expect(g.name).toBe("bench-100-r3");
    expect(g.topics).toHaveLength(100);
    expect(g.topics[0]).toBe("bench.s100r3.t00");
    expect(g.topics[99]).toBe("bench.s100r3.t99");
    expect(new Set(g.topics).size).toBe(100);
    expect(benchGroup(1, 1).topics).toEqual(["bench.s1r1.t0"]);
    expect(benchGroup(10, 2).consumerGroup).toBe("bench-10-r2-consumers");
  });

  it("keeps Pulumi.local.yaml's stack settings and replaces only its groups", () => {
    const local = fs.readFileSync(path.join(__dirname, "../../../Pulumi.local.yaml"), "utf8");
    const out = YAML.parse(benchStackConfig(local, benchGroup(10, 1))) as {
      encryptionsalt: string;
      config: Record<string, unknown>;
    };
    const original = YAML.parse(local) as { encryptionsalt: string; config: Record<string, unknown> };
    expect(out.encryptionsalt).toBe(original.encryptionsalt);
    expect(out.config["kafka-cutover:link"]).toEqual(original.config["kafka-cutover:link"]);
    expect(out.config["kafka-cutover:gateway"]).toEqual(original.config["kafka-cutover:gateway"]);
    expect(out.config["kafka-cutover:groups"]).toEqual([
      {
        name: "bench-10-r1",
        topics: benchGroup(10, 1).topics,
        consumerGroups: ["bench-10-r1-consumers"],
        auth: "swap",
        cutover: false,
      },
    ]);
  });
});
