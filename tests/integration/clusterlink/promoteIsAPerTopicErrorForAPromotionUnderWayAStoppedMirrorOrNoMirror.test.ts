/**
 * `:promote` never answers a silent success for a topic it does not promote now: inside the 200, a mirror
 * already PENDING_STOPPED or STOPPED gets 400 "has already stopped its mirror" (Confluent's documented
 * wording, which the product tolerates), a plain destination topic 400, a topic that does not exist 404.
 * validate_only answers the same.
 */
import { eventually, uniqueName } from "../helpers";
import { createTopic } from "../helpers/kafka";
import { startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

it("promoteIsAPerTopicErrorForAPromotionUnderWayAStoppedMirrorOrNoMirror", async () => {
  const pending = uniqueName("pending");
  const stopped = uniqueName("stopped");
  const plain = uniqueName("plain");
  const ghost = uniqueName("ghost");
  const link = uniqueName("link");
  await createTopic(h.endpoints.source, pending, 1);
  await createTopic(h.endpoints.source, stopped, 1);
  await createTopic(h.endpoints.destination, plain, 1);
  await h.rest.createLink(link, { configs: h.linkConfigs() });
  await h.rest.createMirror(link, { source_topic_name: pending });
  await h.rest.createMirror(link, { source_topic_name: stopped });
  // A paused mirror stays PENDING_STOPPED once promoted: the promotion is under way, not finished.
  await h.rest.pauseMirrors(link, { mirror_topic_names: [pending] });
  expect(await h.rest.promoteMirrors(link, { mirror_topic_names: [pending, stopped] })).toEqual([
    expect.objectContaining({ mirror_topic_name: pending, error_code: null, error_message: null }),
    expect.objectContaining({ mirror_topic_name: stopped, error_code: null, error_message: null }),
  ]);
  await eventually(async () => expect((await h.rest.getMirror(link, stopped)).mirror_status).toBe("STOPPED"), {
    timeoutMs: 20_000,
  });
  expect((await h.rest.getMirror(link, pending)).mirror_status).toBe("PENDING_STOPPED");

  const expected = [
    {
      mirror_topic_name: pending,
      error_code: 400,
      error_message: `Topic '${pending}' has already stopped its mirror from '${link}'`,
    },
    {
      mirror_topic_name: stopped,
      error_code: 400,
      error_message: `Topic '${stopped}' has already stopped its mirror from '${link}'`,
    },
    {
      mirror_topic_name: plain,
      error_code: 400,
      error_message: `Topic '${plain}' is not a mirror topic of link '${link}'`,
    },
    { mirror_topic_name: ghost, error_code: 404, error_message: `Topic '${ghost}' not found` },
  ];
  for (const validateOnly of [true, false]) {
    const again = await h.rest.promoteMirrors(
      link,
      { mirror_topic_names: [pending, stopped, plain, ghost] },
      { validateOnly },
    );
    expect(again).toEqual(expected.map((e) => expect.objectContaining({ kind: "AlterMirrorsData", ...e })));
  }
  // Nothing changed: the promotion under way is still under way, the plain topic untouched.
  expect((await h.rest.getMirror(link, pending)).mirror_status).toBe("PENDING_STOPPED");
  expect((await h.rest.getMirror(link, stopped)).mirror_status).toBe("STOPPED");
});
