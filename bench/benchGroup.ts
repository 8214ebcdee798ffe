/**
 * The one migration group a bench run cuts over, and the stack config it lives in: Pulumi.local.yaml's
 * source, destination, link and Gateway with its groups replaced by this one (fresh topics, standing by).
 */
import YAML from "yaml";

export interface BenchGroup {
  readonly name: string;
  readonly topics: readonly string[];
  readonly consumerGroup: string;
}

/** Named by size and repeat, so every run's topics and groups are traceable in logs and results. */
export function benchGroup(topics: number, repeat: number): BenchGroup {
  const name = `bench-${topics}-r${repeat}`;
  const width = String(Math.max(topics - 1, 0)).length;
  return {
    name,
    topics: Array.from({ length: topics }, (_, i) => `bench.s${topics}r${repeat}.t${String(i).padStart(width, "0")}`),
    consumerGroup: `${name}-consumers`,
  };
}

/** Pulumi.local.yaml's text with its groups replaced by `group`, standing by, with the demo group's auth. */
export function benchStackConfig(localStackYaml: string, group: BenchGroup): string {
  const doc = YAML.parseDocument(localStackYaml);
  doc.setIn(
    ["config", "kafka-cutover:groups"],
    doc.createNode([
      {
        name: group.name,
        topics: [...group.topics],
        consumerGroups: [group.consumerGroup],
        auth: "swap",
        cutover: false,
      },
    ]),
  );
  return doc.toString();
}
