/**
 * The canary against real brokers: its record, produced "through the route", must be found through the route
 * and on the destination. A route that still leads to the source is caught, even when the destination holds
 * other records at the very offset the canary wrote (the topic exists on both clusters, as it may in practice).
 */
import type { KafkaAccess } from "../../../dynamic/cutover";
import { checkGroupTopicsThroughRoute, runCanary } from "../../../dynamic/cutover/canary";
import { client, createTopic } from "../helpers/kafka";
import { loadEndpoints, uniqueName } from "../helpers";

const e = loadEndpoints();
const source: KafkaAccess = {
  bootstrap: e.source.bootstrap,
  securityProtocol: e.source.securityProtocol,
  mechanism: e.source.mechanism,
  username: e.source.admin.username,
  password: e.source.admin.password,
};
const destination: KafkaAccess = {
  bootstrap: e.destination.bootstrap,
  securityProtocol: e.destination.securityProtocol,
  mechanism: e.destination.mechanism,
  username: e.destination.apiKey,
  password: e.destination.apiSecret,
};

describe("the canary after the switch", () => {
  it("proves a route that leads to the destination: written, read back through it, found there", async () => {
    const topic = uniqueName("canary");
    await createTopic(e.destination, topic);
    const at = await runCanary(uniqueName("grp"), { topic, access: destination }, destination, Date.now() + 30_000);
    expect(at).toEqual({ partition: 0, offset: "0" });
  });

  it("fails on a route that still leads to the source, though the destination has a record at that offset", async () => {
    const topic = uniqueName("canary");
    await Promise.all([createTopic(e.source, topic), createTopic(e.destination, topic)]);
    const producer = client(e.destination).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: "an application's record" }] });
    await producer.disconnect();

    await expect(
      runCanary(uniqueName("grp"), { topic, access: source }, destination, Date.now() + 30_000),
    ).rejects.toThrow(
      new RegExp(
        `the destination holds another record at ${topic}\\[0\\]@0 than the canary wrote through the route: the route does not lead to the destination`,
      ),
    );
  });

  it("fails naming the login when the route refuses the canary's credentials", async () => {
    const topic = uniqueName("canary");
    await createTopic(e.destination, topic);
    await expect(
      runCanary(
        uniqueName("grp"),
        { topic, access: { ...destination, password: "wrong" } },
        destination,
        Date.now() + 30_000,
      ),
    ).rejects.toThrow(
      new RegExp(`producing to ${topic} through the route ${destination.bootstrap} as ${destination.username} failed`),
    );
  });

  it("failsWhenTheRouteDoesNotKnowATopicByTheNameTheGroupsClientsUse", async () => {
    const canaryTopic = uniqueName("canary");
    const orders = uniqueName("orders");
    const renamed = uniqueName("refunds");
    // The group's topic "orders" is there under its own name; "refunds" only under a prefixed mirror name.
    await Promise.all([
      createTopic(e.destination, canaryTopic),
      createTopic(e.destination, orders),
      createTopic(e.destination, `msk.${renamed}`),
    ]);
    const canary = { topic: canaryTopic, access: destination };
    const group = uniqueName("grp");
    await expect(checkGroupTopicsThroughRoute(group, canary, [orders])).resolves.toEqual({ unchecked: [] });
    await expect(checkGroupTopicsThroughRoute(group, canary, [orders, renamed])).rejects.toThrow(
      `through the route ${destination.bootstrap} the destination has no topic ${renamed}, which group ${group}'s clients ask for by that name: the route does not rename topics, so each must exist on the destination under its source name (a mirror named otherwise, or not promoted under that name)`,
    );
  });
});
