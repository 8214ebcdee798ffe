/**
 * A promoted mirror copies nothing more. A run that finds mirrors promoted by an earlier one compares each
 * promoted topic's log end on the source with the destination's, per partition: when the source is ahead,
 * those records exist on the source only and finishing would lose them, so it refuses before changing
 * anything, naming the partitions, the records and how to go on.
 */
import { fenceOf } from "../../../components/gatewaySpec";
import { runCutover } from "../../../dynamic/cutover/sequence";
import { FakeWorld, SOURCE_ROUTE } from "./fakeWorld";

it("resumeWithTheRouteOpenRefusesBeforeAnyChangeNamingTheRecordsAPromotedTopicTookOnTheSource", async () => {
  const w = new FakeWorld();
  // A crash left orders promoted at offset 100 with the route open: the group's producers went on writing there.
  w.mirrors.get("orders")!.status = "STOPPED";
  w.destinationLogEnd.orders = 100;
  w.sourceLogEnd.orders = 103;
  await expect(runCutover(w.context())).rejects.toThrow(
    /^resume: group orders: promoted mirror topics lack \d+ records the source took after their promotion: orders\[0\]: \d+ records \(offsets 100\.\.10\d\) on the source only \(source log end 10\d, destination 100\)\. .*The route still leads to the source, unfenced: .* Nothing was changed\. To go on: stop the group's producers of these topics; then copy the records at those offsets .* then run pulumi up again\./,
  );
  expect(w.events).toEqual([]); // no fence, no promote, no switch
  expect(w.route).toEqual(SOURCE_ROUTE);
  expect(w.mirrors.get("refunds")!.status).toBe("ACTIVE");
});

it("resumeWithTheRouteFencedRefusesWhenTheSourceIsAheadOfAPromotedTopicAndStaysFenced", async () => {
  const w = new FakeWorld();
  const fenced = { ...SOURCE_ROUTE, fence: fenceOf() };
  w.route = fenced;
  w.mirrors.get("orders")!.status = "STOPPED";
  w.destinationLogEnd.orders = 97; // three records reached the source after orders was promoted
  await expect(runCutover(w.context())).rejects.toThrow(
    /^resume: .*: orders\[0\]: 3 records \(offsets 97\.\.99\) on the source only \(source log end 100, destination 97\)\. .*The route is fenced, so the gap no longer grows/,
  );
  expect(w.events).toEqual([]);
  expect(w.route).toEqual(fenced);
});

it("resumeWithTheRouteFencedAndNothingDivergedFinishesForward", async () => {
  const w = new FakeWorld();
  w.route = { ...SOURCE_ROUTE, fence: fenceOf() };
  w.mirrors.get("orders")!.status = "STOPPED";
  w.destinationLogEnd.orders = 100;
  await runCutover(w.context());
  expect(w.events).toEqual(["promote refunds", "switch"]);
  expect(w.route.streamingDomain.name).toBe("cc");
});
