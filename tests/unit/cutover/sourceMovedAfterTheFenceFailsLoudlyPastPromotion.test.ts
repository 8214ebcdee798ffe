/**
 * Past promotion nothing rolls back, but records the source acknowledged after the fence are lost to the
 * destination: the cutover compares the source's log-end offsets with the fence's snapshot after promotion
 * and again right after the switch, and fails naming each partition and the offsets that reached it.
 */
import { runCutover } from "../../../dynamic/cutover/sequence";
import { FakeWorld } from "./fakeWorld";

it("sourceMovedAfterPromotionFailsNamingPartitions", async () => {
  const w = new FakeWorld();
  w.sourceWritesAtPromotion = { orders: 4 };
  await expect(runCutover(w.context())).rejects.toThrow(
    /^promote: orders\[0\]: 4 records \(offsets 100\.\.103\) reached the source after the fence\. Those records were acknowledged by the source .* a client bypasses the Gateway, or a Gateway pod was not fenced\. Nothing can be rolled back past promotion: the route stays fenced/,
  );
  expect(w.events).toEqual(["fence", "promote orders,refunds"]); // no rollback, no switch
  expect(w.route.fence).toBeDefined();
});

it("sourceMovedDuringTheSwitchFailsOnceTheSwitchIsApplied", async () => {
  const w = new FakeWorld();
  w.sourceWritesAtSwitch = { refunds: 1 };
  await expect(runCutover(w.context())).rejects.toThrow(
    /^switch: refunds\[0\]: 1 record \(offset 50\) reached the source after the fence\. .*the route leads to the destination now/,
  );
  expect(w.events).toEqual(["fence", "promote orders,refunds", "switch"]);
});
