/**
 * A group's cutover runs once. Topics or consumer groups added to its config afterwards were recorded as cut
 * over and never fenced, promoted or synced; the preview (check) and up (update) refuse them instead, naming
 * each and what to do.
 */
import type { CutoverOutputs } from "../../../dynamic/cutover/inputs";
import { provider } from "../../../dynamic/cutover/provider";
import { inputs } from "./fakeWorld";

const cutOver = inputs(); // orders and refunds, consumer group billing, cut over by an earlier up
const grown = inputs({
  topics: { ...cutOver.topics, payments: "payments" },
  consumerGroups: [...cutOver.consumerGroups, "audit"],
});
const state = { ...cutOver, state: "cut-over", timeline: [], fingerprint: "f" } as CutoverOutputs;

it("previewRefusesTopicsAndConsumerGroupsAddedToAGroupAlreadyCutOverNamingThemAndTheFix", async () => {
  const result = await provider.check!(cutOver, grown);
  expect(result.failures).toEqual([
    {
      property: "",
      reason: expect.stringMatching(
        /^topics: kafka-cutover:groups \(the group named orders\)\.topics: payments added after group orders was cut over; .* Fix: remove payments from this group, declare a new migration group for them .* then cut that group over$/,
      ),
    },
    {
      property: "",
      reason: expect.stringMatching(
        /^consumerGroups: kafka-cutover:groups \(the group named orders\)\.consumerGroups: audit added after group orders was cut over; .* Fix: remove audit from this group; .*kafka-consumer-groups --reset-offsets --to-offset/,
      ),
    },
  ]);
}, 30_000);

it("upRefusesTopicsAddedToAGroupAlreadyCutOverInsteadOfRecordingThemAsCutOver", async () => {
  await expect(provider.update!("orders", state, grown)).rejects.toThrow(
    /^kafka-cutover:groups \(the group named orders\)\.topics: payments added after group orders was cut over;.*\nkafka-cutover:groups \(the group named orders\)\.consumerGroups: audit added/s,
  );
});

it("upKeepsAGroupCutOverWhenItsTopicsAndConsumerGroupsAreUnchanged", async () => {
  const { outs } = await provider.update!("orders", state, { ...cutOver, lagThreshold: 5 });
  expect(outs).toMatchObject({ state: "cut-over", topics: cutOver.topics, consumerGroups: ["billing"] });
});
