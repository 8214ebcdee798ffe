/**
 * One sample as the lag view shows it: per topic the mirror's state, the lag, the partitions it lacks and the
 * ETA; per consumer group its offset sync; the verdict naming what keeps readiness waiting, in its own words.
 */
import { renderSample } from "../../../tools/lag/render";
import type { Sample } from "../../../tools/lag/sample";
import { etasOf } from "../../../tools/lag/watch";

const sample = (at: number, aLag: number): Sample => ({
  at,
  group: "payments",
  threshold: 100,
  topics: [
    { topic: "payments.events", state: "ACTIVE", lag: aLag, sourcePartitions: 3, missingPartitions: [] },
    { topic: "payments.ledger", state: "PAUSED", lag: 12, sourcePartitions: 4, missingPartitions: [3] },
  ],
  consumerGroups: [
    { group: "ledger-service", committed: 3, unsynced: [] },
    {
      group: "audit",
      committed: 6,
      unsynced: ["payments.events[0] source 9, destination none", "a[1] x", "a[2] y", "a[3] z"].slice(0),
    },
  ],
  ready: false,
});

it("renders topics, consumer groups and why readiness would wait", () => {
  const first = sample(Date.UTC(2026, 11, 4, 1, 0, 0), 700);
  const second = sample(Date.UTC(2026, 11, 4, 1, 0, 2), 500);
  expect(renderSample(second, etasOf(first, second))).toBe(
    [
      "group payments  lag threshold 100  at 2026-12-04T01:00:02.000Z",
      "",
      "topic            mirror  lag  missing partitions  eta",
      "payments.events  ACTIVE  500  -                   ~4s (100 rec/s)",
      "payments.ledger  PAUSED  12   3 of 4              not draining",
      "",
      "consumer group  offsets on the destination",
      "ledger-service  synced (3 partitions)",
      "audit           not synced: payments.events[0] source 9, destination none; a[1] x; a[2] y, and 1 more",
      "",
      "not ready: payments.ledger is PAUSED, payments.events=500, payments.ledger=12 (the mirror lacks partition 3 of 4)",
    ].join("\n"),
  );
});

it("says unknown ETAs before a second sample, and ready when the group would pass", () => {
  const only = { ...sample(0, 50), topics: [sample(0, 50).topics[0]], consumerGroups: [], ready: true };
  const text = renderSample(only, etasOf(undefined, only));
  expect(text).toContain("payments.events  ACTIVE  50   -                   ready");
  expect(text).toContain("consumer groups: none listed");
  const idle = { ...only, consumerGroups: [{ group: "new-app", committed: 0, unsynced: [] }] };
  expect(renderSample(idle, etasOf(undefined, idle))).toContain("new-app         no committed offsets on the source");
  expect(text.endsWith("ready: the group would pass readiness now")).toBe(true);
  const over = { ...only, topics: [{ ...only.topics[0], lag: 150 }], ready: false };
  expect(renderSample(over, etasOf(undefined, over))).toContain("150  -                   —");
});
