/**
 * Of `:promote`'s per-topic errors, the step accepts exactly Confluent's documented "already stopped" answer
 * (400, "Topic '<t>' has already stopped its mirror from '<link>'"): a mirror promoted since the list, by a
 * concurrent run. It then still waits for STOPPED. Every other error refuses, even one whose words mention
 * "already stopped", and the route stays fenced.
 */
import { alreadyStopped, runCutover } from "../../../dynamic/cutover/sequence";
import { FakeWorld } from "./fakeWorld";

const stoppedAnswer = { error_code: 400, error_message: "Topic 'orders' has already stopped its mirror from 'l'" };

it("promoteAcceptsTheDocumentedAlreadyStoppedAnswerAndStillWaitsForStopped", async () => {
  const w = new FakeWorld();
  // Promoted concurrently and still under way: the answer is accepted, the switch waits until it is STOPPED.
  w.promoteAnswers.set("orders", { ...stoppedAnswer, status: "PENDING_STOPPED" });
  w.stuckPendingStopped.add("orders");
  await expect(runCutover(w.context())).rejects.toThrow(/^promote: not STOPPED after 300 ms: orders PENDING_STOPPED/);
  expect(w.events).toEqual(["fence", "promote orders,refunds"]);

  w.stuckPendingStopped.clear();
  await runCutover(w.context());
  expect(w.events).toEqual(["fence", "promote orders,refunds", "switch"]);
});

it.each([
  ["a topic not found", { error_code: 404, error_message: "Topic 'orders' not found" }],
  [
    "a topic that is not a mirror",
    { error_code: 400, error_message: "Topic 'orders' is not a mirror topic of link 'l'" },
  ],
  ["the documented words with another code", { ...stoppedAnswer, error_code: 500 }],
  [
    "the documented words about another topic",
    { ...stoppedAnswer, error_message: "Topic 'refunds' has already stopped its mirror from 'l'" },
  ],
  [
    "another refusal that says 'already stopped'",
    {
      error_code: 400,
      error_message: "Topic 'orders' mirror from 'l' has failed (fetcher already stopped); only failover is possible",
    },
  ],
])("promoteRefusesAnyOtherPerTopicError: %s", async (_, answer) => {
  const w = new FakeWorld();
  w.promoteAnswers.set("orders", answer);
  await expect(runCutover(w.context())).rejects.toThrow(
    `promote: the link refused to promote orders: ${answer.error_message}`,
  );
  expect(w.events).toEqual(["fence", "promote orders,refunds"]);
  expect(w.route.fence).toBeDefined();
  expect(w.route.streamingDomain.name).toBe("msk");
});

it("alreadyStoppedMatchesOnlyTheDocumentedAnswerForThatTopic", () => {
  const r = { kind: "AlterMirrorsData", mirror_topic_name: "orders", mirror_lags: [] };
  expect(alreadyStopped({ ...r, ...stoppedAnswer })).toBe(true);
  expect(alreadyStopped({ ...r, error_code: 400, error_message: null })).toBe(false);
  expect(alreadyStopped({ ...r, mirror_topic_name: "order", ...stoppedAnswer })).toBe(false);
});
