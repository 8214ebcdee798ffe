/**
 * One sample as text: a line per topic (mirror state, lag, the partitions the mirror lacks, ETA to the
 * threshold), a line per consumer group (offset sync), and the verdict with what keeps readiness waiting,
 * in readiness's own words (`describeLag`).
 */
import { describeLag, mirrorsNotActive, overThreshold } from "../../dynamic/cutover/lag";
import { formatEta, type Eta } from "./eta";
import type { GroupSync, Sample } from "./sample";

/** At most this many unsynced partitions are named per consumer group; a 500-partition group would fill the screen. */
const NAMED_PARTITIONS = 3;

export function renderSample(sample: Sample, etas: ReadonlyMap<string, Eta>): string {
  const rows = [
    ["topic", "mirror", "lag", "missing partitions", "eta"],
    ...sample.topics.map((t) => [
      t.topic,
      t.state,
      String(t.lag),
      t.missingPartitions.length > 0 ? `${t.missingPartitions.join(",")} of ${t.sourcePartitions}` : "-",
      formatEta(etas.get(t.topic) ?? { kind: "unknown" }),
    ]),
  ];
  const lines = [
    `group ${sample.group}  lag threshold ${sample.threshold}  at ${new Date(sample.at).toISOString()}`,
    "",
    ...table(rows),
    "",
    ...(sample.consumerGroups.length === 0
      ? ["consumer groups: none listed"]
      : table([
          ["consumer group", "offsets on the destination"],
          ...sample.consumerGroups.map((g) => [g.group, syncStatus(g)]),
        ])),
    "",
    verdict(sample),
  ];
  return lines.join("\n");
}

function syncStatus(g: GroupSync): string {
  if (g.committed === 0) return "no committed offsets on the source";
  if (g.unsynced.length === 0) return `synced (${g.committed} partition${g.committed === 1 ? "" : "s"})`;
  const more = g.unsynced.length > NAMED_PARTITIONS ? `, and ${g.unsynced.length - NAMED_PARTITIONS} more` : "";
  return `not synced: ${g.unsynced.slice(0, NAMED_PARTITIONS).join("; ")}${more}`;
}

function verdict(sample: Sample): string {
  if (sample.ready) return "ready: the group would pass readiness now";
  const notActive = mirrorsNotActive(
    sample.topics.map((t) => ({ mirror_topic_name: t.topic, mirror_status: t.state })),
  );
  const reasons = [
    ...notActive.map((m) => `${m.mirror_topic_name} is ${m.mirror_status}`),
    ...overThreshold(sample.topics, sample.threshold).map(describeLag),
  ];
  return `not ready: ${reasons.join(", ")}`;
}

/** Columns padded to their widest cell. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd(),
  );
}
