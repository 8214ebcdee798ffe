/**
 * Both clusters enforce ACLs for principals created at runtime: a SCRAM user (source) and an API key
 * (destination, principal User:<key>) cannot write until granted WRITE; after kafkajs createAcls they can.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from "kafkajs";
import { createApiKey, createScramUser } from "../../../local/kafka";
import { captureError, client, createTopic, kafkaErrorType, type Credentials, type Endpoint } from "../helpers/kafka";
import { eventually, loadEndpoints, stateDir, uniqueName } from "../helpers";

const endpoints = loadEndpoints();

async function produceOnce(endpoint: Endpoint, credentials: Credentials, topic: string): Promise<void> {
  const producer = client(endpoint, credentials, { retry: { retries: 1 } }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value: "hello" }] });
  } finally {
    await producer.disconnect();
  }
}

async function grantWrite(endpoint: Endpoint, principal: string, topic: string): Promise<void> {
  const admin = client(endpoint).admin();
  await admin.connect();
  try {
    await admin.createAcls({
      acl: [
        {
          resourceType: AclResourceTypes.TOPIC,
          resourceName: topic,
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal,
          host: "*",
          operation: AclOperationTypes.WRITE,
          permissionType: AclPermissionTypes.ALLOW,
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

async function deniedThenGranted(endpoint: Endpoint, credentials: Credentials, principal: string): Promise<void> {
  const topic = uniqueName("acl");
  await createTopic(endpoint, topic);

  const { error, elapsedMs } = await captureError(() => produceOnce(endpoint, credentials, topic));
  expect(kafkaErrorType(error)).toBe("TOPIC_AUTHORIZATION_FAILED");
  expect(elapsedMs).toBeLessThan(15_000);

  await grantWrite(endpoint, principal, topic);
  // The ACL is committed by the controller and reaches the broker's authorizer shortly after.
  await eventually(() => produceOnce(endpoint, credentials, topic), {
    timeoutMs: 15_000,
    what: "producing after the grant",
  });
}

describe("ACLs on principals created at runtime", () => {
  it("source: a new SCRAM-SHA-512 user gets TOPIC_AUTHORIZATION_FAILED until granted WRITE", async () => {
    const user = await createScramUser(uniqueName("app"), undefined, { stateDir: stateDir() });
    await deniedThenGranted(endpoints.source, user, `User:${user.username}`);
  });

  it("destination: a new API key gets TOPIC_AUTHORIZATION_FAILED until User:<key> is granted WRITE", async () => {
    const { key, secret } = await createApiKey({ stateDir: stateDir() });
    expect(key).toMatch(/^[A-Z0-9]{16}$/);
    expect(secret).toHaveLength(64);
    await deniedThenGranted(endpoints.destination, { username: key, password: secret }, `User:${key}`);
  });
});
