/**
 * Until promotion a mirror topic is read-only for every client on the destination broker itself: an
 * application API key allowed to WRITE gets TOPIC_AUTHORIZATION_FAILED; after promotion it can produce.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from "kafkajs";
import { createApiKey } from "../../../local/kafka";
import { eventually, uniqueName } from "../helpers";
import { captureError, client, createTopic, kafkaErrorType, type Credentials } from "../helpers/kafka";
import { startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

async function produceAs(credentials: Credentials, topic: string): Promise<void> {
  const producer = client(h.endpoints.destination, credentials, { retry: { retries: 0 } }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value: "from the app" }] });
  } finally {
    await producer.disconnect();
  }
}

it("an app principal allowed to WRITE cannot produce to the mirror before promotion and can after", async () => {
  const topic = uniqueName("inventory");
  const link = uniqueName("link");
  await createTopic(h.endpoints.source, topic, 1);
  await h.rest.createLink(link, { configs: h.linkConfigs() });
  await h.rest.createMirror(link, { source_topic_name: topic });

  const { key, secret } = await createApiKey({ stateDir: h.stateDir });
  const app = { username: key, password: secret };
  const admin = client(h.endpoints.destination).admin();
  await admin.connect();
  await admin.createAcls({
    acl: [
      {
        resourceType: AclResourceTypes.TOPIC,
        resourceName: topic,
        resourcePatternType: ResourcePatternTypes.LITERAL,
        principal: `User:${key}`,
        host: "*",
        operation: AclOperationTypes.WRITE,
        permissionType: AclPermissionTypes.ALLOW,
      },
    ],
  });
  await admin.disconnect();

  // Give the ALLOW time to reach the authorizer, so a failure below is the mirror's DENY, not a missing grant.
  await new Promise((r) => setTimeout(r, 1_000));
  const { error } = await captureError(() => produceAs(app, topic));
  expect(kafkaErrorType(error)).toBe("TOPIC_AUTHORIZATION_FAILED");

  await h.rest.promoteMirrors(link, { mirror_topic_names: [topic] });
  await eventually(async () => expect((await h.rest.getMirror(link, topic)).mirror_status).toBe("STOPPED"), {
    timeoutMs: 20_000,
  });
  await eventually(() => produceAs(app, topic), { timeoutMs: 15_000, what: "producing after promotion" });
});
