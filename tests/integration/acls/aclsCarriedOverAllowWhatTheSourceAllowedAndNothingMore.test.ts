/**
 * The ACL carry-over on the real local clusters: a SCRAM user on the source with ACLs on some of a group's
 * topics and its consumer group; the DestinationAcls provider reads them (check), creates what they become for
 * an API key on the destination (create), and a real kafkajs client signed in as that key then does on the
 * destination exactly what the user could do on the source: the same operations succeed and the same are
 * refused. A grant on the source that reaches past the group does not reach past it on the destination; a
 * source ACL removed is removed from the destination by the next update; delete removes exactly the bindings
 * it created.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Kafka } from "kafkajs";
import type { AclBinding } from "../../../dynamic/acls/bindings";
import { aclEntry, readAclBindings } from "../../../dynamic/acls/bindings";
import { provider, type DestinationAclsInputs, type DestinationAclsOutputs } from "../../../dynamic/acls/provider";
import type { KafkaAccess } from "../../../dynamic/cutover/inputs";
import { createApiKey, createScramUser } from "../../../local/kafka";
import { LINK_USER } from "../../../local/principals";
import { eventually, loadEndpoints, stateDir, uniqueName } from "../helpers";
import { client, createTopic, kafkaErrorType, type Credentials, type Endpoint } from "../helpers/kafka";

const endpoints = loadEndpoints();
const { source, destination } = endpoints;
const linkPassword = (endpoints.source as unknown as { users: Record<string, string> }).users[LINK_USER];

const p = uniqueName("acl");
const [topicA, topicB, topicC, outside] = [`${p}-a`, `${p}-b`, `${p}-c`, `${p}-x-outside`];
const group = `${p}-readers`;
const otherGroup = `${p}-others`;

type Outcome = "ok" | string;

async function adminDo(endpoint: Endpoint, fn: (admin: ReturnType<Kafka["admin"]>) => Promise<unknown>) {
  const admin = client(endpoint).admin();
  await admin.connect();
  try {
    await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

function binding(
  permission: "ALLOW" | "DENY",
  principal: string,
  operation: AclBinding["operation"],
  resourceType: "TOPIC" | "GROUP",
  resourceName: string,
  patternType: "LITERAL" | "PREFIXED" = "LITERAL",
): AclBinding {
  return { permission, principal, operation, resourceType, resourceName, patternType, host: "*" };
}

async function produce(kafka: Kafka, topic: string): Promise<Outcome> {
  const producer = kafka.producer({ retry: { retries: 0 }, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value: "probe" }] });
    return "ok";
  } catch (err) {
    return kafkaErrorType(err) ?? (err as Error).message;
  } finally {
    await producer.disconnect();
  }
}

/** Joins `groupId`, reads `topic` from the beginning and commits: "ok" once one record is consumed. */
async function consume(kafka: Kafka, topic: string, groupId: string): Promise<Outcome> {
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 200,
    retry: { retries: 0, restartOnFailure: async () => false },
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => resolve("nothing consumed in 20 s"), 20_000);
      consumer.on(consumer.events.CRASH, (e) => {
        clearTimeout(timer);
        resolve(kafkaErrorType(e.payload.error) ?? e.payload.error.message);
      });
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
            clearTimeout(timer);
            resolve("ok");
          },
        })
        .catch((err: unknown) => resolve(kafkaErrorType(err) ?? (err as Error).message));
    });
  } catch (err) {
    return kafkaErrorType(err) ?? (err as Error).message;
  } finally {
    await consumer.disconnect();
  }
}

/** The same client operations, on one cluster as one principal. */
async function whatItMayDo(kafka: Kafka): Promise<Record<string, Outcome>> {
  return {
    [`consume ${topicA} in ${group}`]: await consume(kafka, topicA, group),
    [`consume ${topicA} in ${otherGroup}`]: await consume(kafka, topicA, otherGroup),
    [`consume ${topicB} in ${group}`]: await consume(kafka, topicB, group),
    [`consume ${topicC} in ${group}`]: await consume(kafka, topicC, group),
    [`produce ${topicA}`]: await produce(kafka, topicA),
    [`produce ${topicB}`]: await produce(kafka, topicB),
    [`produce ${topicC}`]: await produce(kafka, topicC),
  };
}

describe("ACLs carried over from the source to the destination", () => {
  let alice: Credentials;
  let key: { key: string; secret: string };
  let inputs: DestinationAclsInputs;
  let outs: DestinationAclsOutputs;
  const aliceOnSource = () => `User:${alice.username}`;

  beforeAll(async () => {
    alice = await createScramUser(`${p}-alice`, undefined, { stateDir: stateDir() });
    key = await createApiKey({ stateDir: stateDir() });
    for (const endpoint of [source, destination])
      for (const t of [topicA, topicB, topicC, outside]) await createTopic(endpoint, t);
    // One record on each topic the checks consume, on both clusters.
    for (const endpoint of [source, destination])
      await adminDo(endpoint, async () => {
        const producer = client(endpoint).producer();
        await producer.connect();
        await producer.send({ topic: topicA, messages: [{ value: "seed" }] });
        await producer.send({ topic: topicB, messages: [{ value: "seed" }] });
        await producer.send({ topic: topicC, messages: [{ value: "seed" }] });
        await producer.send({ topic: outside, messages: [{ value: "seed" }] });
        await producer.disconnect();
      });
    const u = aliceOnSource();
    await adminDo(source, (admin) =>
      admin.createAcls({
        acl: [
          binding("ALLOW", u, "READ", "TOPIC", topicA),
          binding("ALLOW", u, "READ", "GROUP", group),
          binding("ALLOW", u, "WRITE", "TOPIC", topicB),
          // Reaches past the group (the outside topic): carried only onto the group's own topics.
          binding("ALLOW", u, "DESCRIBE", "TOPIC", `${p}-`, "PREFIXED"),
          binding("ALLOW", u, "READ", "TOPIC", `${p}-x`, "PREFIXED"),
          binding("DENY", u, "DESCRIBE", "TOPIC", topicC),
          // Another application's principal, not mapped: reported, not carried.
          binding("ALLOW", `User:${p}-bob`, "READ", "TOPIC", topicA),
        ].map(aclEntry),
      }),
    );
    const access = (e: Endpoint, c: Credentials): KafkaAccess => ({
      bootstrap: e.bootstrap,
      securityProtocol: e.securityProtocol,
      mechanism: e.mechanism,
      username: c.username,
      password: c.password,
    });
    inputs = {
      resourceUrn:
        "urn:pulumi:test::kafka-cutover::kafka-cutover:index:MigrationGroup$pulumi-nodejs:dynamic/kafka-cutover:DestinationAcls::acls",
      group: p,
      topics: { [topicA]: topicA, [topicB]: topicB, [topicC]: topicC },
      consumerGroups: [group],
      principals: { [aliceOnSource()]: `User:${key.key}` },
      frozen: false,
      // The program reads the source as the link's user (DESCRIBE on the cluster) and writes the destination with its admin key.
      source: access(source, { username: LINK_USER, password: linkPassword }),
      destination: access(destination, { username: destination.apiKey, password: destination.apiSecret }),
    };
  }, 120_000);

  it("reads the source's ACLs at check and shows exactly the destination bindings they become", async () => {
    const checked = await provider.check!(undefined as unknown as DestinationAclsInputs, inputs);
    expect(checked.failures).toBeUndefined();
    const to = `User:${key.key}`;
    expect(checked.inputs?.bindings).toEqual([
      binding("ALLOW", to, "READ", "GROUP", group),
      binding("ALLOW", to, "DESCRIBE", "TOPIC", topicA),
      binding("ALLOW", to, "READ", "TOPIC", topicA),
      binding("ALLOW", to, "DESCRIBE", "TOPIC", topicB),
      binding("ALLOW", to, "WRITE", "TOPIC", topicB),
      binding("ALLOW", to, "DESCRIBE", "TOPIC", topicC),
      binding("DENY", to, "DESCRIBE", "TOPIC", topicC),
    ]);
    inputs = checked.inputs as DestinationAclsInputs;
  });

  it("lets the destination principal do exactly what the source principal could, and nothing past the group", async () => {
    // aclsCarriedOverAllowWhatTheSourceAllowedAndNothingMore
    // A binding the destination already has (granted by hand before) is not this resource's: not owned.
    const preexisting = binding("ALLOW", `User:${key.key}`, "READ", "GROUP", group);
    await adminDo(destination, (admin) => admin.createAcls({ acl: [aclEntry(preexisting)] }));
    outs = (await provider.create(inputs)).outs as DestinationAclsOutputs;
    expect(outs.bindings).toEqual(inputs.bindings);
    expect(outs.owned).toEqual(inputs.bindings?.filter((b) => b.resourceType !== "GROUP"));
    const onDestination = client(destination, { username: key.key, password: key.secret }, { retry: { retries: 0 } });
    const onSource = client(source, alice, { retry: { retries: 0 } });
    // ACLs reach the broker's authorizer shortly after the controller commits them.
    await eventually(
      async () => {
        if ((await produce(onDestination, topicB)) !== "ok") throw new Error("not yet");
      },
      { timeoutMs: 20_000, what: "the carried WRITE reaching the destination's authorizer" },
    );
    const here = await whatItMayDo(onSource);
    const there = await whatItMayDo(onDestination);
    expect(there).toEqual(here);
    // The checks mean something only if both kinds of answer occur.
    expect(here).toMatchObject({
      [`consume ${topicA} in ${group}`]: "ok",
      [`produce ${topicB}`]: "ok",
      [`produce ${topicA}`]: "TOPIC_AUTHORIZATION_FAILED",
      [`consume ${topicC} in ${group}`]: "TOPIC_AUTHORIZATION_FAILED",
      // kafkajs's word for FindCoordinator refused with GROUP_AUTHORIZATION_FAILED (see DESIGN.md, "Permissions").
      [`consume ${topicA} in ${otherGroup}`]: "Failed to find group coordinator",
    });
    // The source's prefixed READ reaches the outside topic there; the carried ACLs stop at the group.
    expect(await consume(onSource, outside, group)).toBe("ok");
    expect(await consume(onDestination, outside, group)).toBe("TOPIC_AUTHORIZATION_FAILED");
  }, 180_000);

  it("follows a source ACL's removal on the next update, and delete removes exactly what it created", async () => {
    await adminDo(source, (admin) =>
      admin.deleteAcls({ filters: [aclEntry(binding("ALLOW", aliceOnSource(), "WRITE", "TOPIC", topicB))] }),
    );
    const to = `User:${key.key}`;
    const rechecked = await eventually(
      async () => {
        const c = await provider.check!(inputs, { ...inputs, bindings: undefined });
        if (c.inputs?.bindings?.some((b: AclBinding) => b.operation === "WRITE"))
          throw new Error("source not updated yet");
        return c.inputs as DestinationAclsInputs;
      },
      { timeoutMs: 15_000, what: "the source's ACL removal" },
    );
    const diff = await provider.diff!("acls", outs, rechecked);
    expect(diff.changes).toBe(true);
    expect(diff.replaces).toEqual([]);
    outs = (await provider.update!("acls", outs, rechecked)).outs as DestinationAclsOutputs;
    expect(outs.owned).not.toContainEqual(binding("ALLOW", to, "WRITE", "TOPIC", topicB));
    const onDestination = client(destination, { username: key.key, password: key.secret }, { retry: { retries: 0 } });
    await eventually(
      async () => {
        if ((await produce(onDestination, topicB)) !== "TOPIC_AUTHORIZATION_FAILED") throw new Error("still allowed");
      },
      { timeoutMs: 20_000, what: "the removed WRITE leaving the destination's authorizer" },
    );

    // Another binding of the principal, granted by hand: not this resource's to delete either.
    const byHand = binding("ALLOW", to, "DESCRIBE", "TOPIC", outside);
    await adminDo(destination, (admin) => admin.createAcls({ acl: [aclEntry(byHand)] }));
    await provider.delete!("acls", outs);
    const left = await (async () => {
      const admin = client(destination).admin();
      await admin.connect();
      try {
        return await readAclBindings(admin, {
          resourceType: AclResourceTypes.ANY,
          resourcePatternType: ResourcePatternTypes.ANY,
          principal: to,
          operation: AclOperationTypes.ANY,
          permissionType: AclPermissionTypes.ANY,
        });
      } finally {
        await admin.disconnect();
      }
    })();
    expect(left).toHaveLength(2);
    expect(left).toEqual(expect.arrayContaining([byHand, binding("ALLOW", to, "READ", "GROUP", group)]));
  }, 120_000);
});
