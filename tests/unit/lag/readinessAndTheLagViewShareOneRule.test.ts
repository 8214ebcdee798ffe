/**
 * `wouldPassReadiness` is the readiness gate's rule, and `npm run lag --until-ready` waits on the same function:
 * every mirror present and ACTIVE, every topic at or under the threshold, no partition missing. The cutover's
 * readiness step (sequence.test.ts) keeps its behaviour and messages; here the rule itself.
 */
import { wouldPassReadiness, type TopicLag } from "../../../dynamic/cutover/lag";

const lag = (topic: string, n: number, missingPartitions: number[] = []): TopicLag => ({
  topic,
  lag: n,
  sourcePartitions: 3,
  missingPartitions,
});
const mirror = (name: string, status = "ACTIVE") => ({ mirror_topic_name: name, mirror_status: status });

it("passes with every mirror ACTIVE and every lag at or under the threshold", () => {
  expect(wouldPassReadiness([lag("a", 100), lag("b", 0)], [mirror("a"), mirror("b")], 100)).toBe(true);
});

it("fails on a lag over the threshold", () => {
  expect(wouldPassReadiness([lag("a", 101), lag("b", 0)], [mirror("a"), mirror("b")], 100)).toBe(false);
});

it("fails on a missing partition, whatever the lag", () => {
  expect(wouldPassReadiness([lag("a", 0, [2])], [mirror("a")], 100)).toBe(false);
});

it("fails on a mirror not ACTIVE, or not on the link at all", () => {
  expect(wouldPassReadiness([lag("a", 0)], [mirror("a", "PAUSED")], 100)).toBe(false);
  expect(wouldPassReadiness([lag("a", 0), lag("b", 0)], [mirror("a")], 100)).toBe(false);
});
