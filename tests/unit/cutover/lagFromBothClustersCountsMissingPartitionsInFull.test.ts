/**
 * The cutover's lag is read from both clusters' log ends, not from the link's summary: per partition, source
 * end minus destination end; a partition the mirror lacks counts in full and is named, and a mirror not created
 * yet lacks them all.
 */
import { caughtUp, describeLag, lagFromBothClusters } from "../../../dynamic/cutover/lag";
import type { OffsetReader } from "../../../dynamic/cutover/offsets";

/** A cluster whose topics have these log ends per partition; a topic it lacks is UNKNOWN_TOPIC_OR_PARTITION. */
function cluster(ends: Record<string, number[]>): OffsetReader {
  return {
    fetchTopicOffsets: async (topic: string) => {
      const parts = ends[topic];
      if (!parts)
        throw Object.assign(new Error("This server does not host this topic-partition"), {
          type: "UNKNOWN_TOPIC_OR_PARTITION",
        });
      return parts.map((end, partition) => ({ partition, offset: String(end), high: String(end), low: "0" }));
    },
    fetchOffsets: async () => [],
  } as unknown as OffsetReader;
}

it("sums source end minus destination end over partitions, and is caught up only at zero", async () => {
  const [lag] = await lagFromBothClusters(cluster({ orders: [10, 20, 30] }), cluster({ orders: [10, 15, 30] }), {
    orders: "orders",
  });
  expect(lag).toEqual({ topic: "orders", lag: 5, sourcePartitions: 3, missingPartitions: [] });
  expect(caughtUp(lag)).toBe(false);
  expect(describeLag(lag)).toBe("orders=5");
});

it("counts a partition the mirror lacks in full, names it, and is never caught up while one is missing", async () => {
  const [lag] = await lagFromBothClusters(cluster({ orders: [10, 20, 0] }), cluster({ orders: [10, 20] }), {
    orders: "orders",
  });
  expect(lag).toEqual({ topic: "orders", lag: 0, sourcePartitions: 3, missingPartitions: [2] });
  expect(caughtUp(lag)).toBe(false); // an empty new partition is still one the mirror would not have
  expect(describeLag(lag)).toBe("orders=0 (the mirror lacks partition 2 of 3)");

  const [grown] = await lagFromBothClusters(cluster({ orders: [10, 20, 7, 4] }), cluster({ orders: [10, 20] }), {
    orders: "orders",
  });
  expect(describeLag(grown)).toBe("orders=11 (the mirror lacks partitions 2, 3 of 4)");
});

it("a mirror not on the destination yet lacks every partition; an unknown source topic is an error", async () => {
  const [lag] = await lagFromBothClusters(cluster({ orders: [3, 4] }), cluster({}), { orders: "orders" });
  expect(lag).toMatchObject({ lag: 7, missingPartitions: [0, 1] });
  await expect(lagFromBothClusters(cluster({}), cluster({}), { orders: "orders" })).rejects.toThrow(
    /does not host this topic-partition/,
  );
});
