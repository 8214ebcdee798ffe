/**
 * Past the point of no return, a mirror the link has not brought to STOPPED within promoteMs: the step gives
 * up, the route stays fenced (clients held, writing to neither cluster), and the error names each mirror's
 * state and lag and what to do. A re-run waits for the link's promotion in progress instead of asking for it
 * again, and switches once it is done.
 */
import { runCutover } from "../../../dynamic/cutover/sequence";
import { FakeWorld } from "./fakeWorld";

it("promoteNotStoppedWithinPromoteMsKeepsTheRouteFencedAndSaysWhatToDo", async () => {
  const w = new FakeWorld();
  w.stuckPendingStopped.add("orders");
  const expected =
    /^promote: not STOPPED after 300 ms: orders PENDING_STOPPED \(lag 0\)\. The route stays fenced and the group's clients are held: nothing rolls back past promotion\. The link finishes a PENDING_STOPPED promotion on its own .* Run pulumi up again: it waits for these mirrors again \(up to groups\[\]\.timeouts\.promoteMs, which you may raise\), then switches$/;
  await expect(runCutover(w.context())).rejects.toThrow(expected);
  expect(w.events).toEqual(["fence", "promote orders,refunds"]); // no rollback, no switch
  expect(w.route.fence).toBeDefined();
  expect(w.servedRoutes().every((r) => r.fence !== undefined)).toBe(true); // every pod holds the clients

  // Still not done at the re-run: it waits again without asking the link to promote orders a second time.
  await expect(runCutover(w.context())).rejects.toThrow(expected);
  expect(w.events).toEqual(["fence", "promote orders,refunds"]);
  expect(w.route.fence).toBeDefined();

  w.stuckPendingStopped.clear();
  await runCutover(w.context());
  expect(w.events).toEqual(["fence", "promote orders,refunds", "switch"]);
  expect(w.route.streamingDomain.name).toBe("cc");
  expect(w.route.fence).toBeUndefined();
});
