/**
 * The destination takes SASL/OAUTHBEARER beside PLAIN on its client listener, as Confluent Cloud takes API keys
 * and identity-pool tokens on one endpoint: a token of the local authorization server (client-credentials grant)
 * signs a kafkajs client in as `User:<sub>`, whom ACLs then gate; the server refuses a wrong client secret; the
 * broker refuses tokens that expired, name another audience or issuer, or are signed by another key (Kafka's
 * BrokerJwtValidator against the JWKS), each shown accepted when only that one claim is right.
 */
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { AclOperationTypes, AclResourceTypes, Kafka, logLevel } from "kafkajs";
import { Protocol, kafkaMessageSpecs } from "../../../local/gateway";
import { registerOAuthClient } from "../../../local/oauth/clients";
import type { OAuthServerInfo } from "../../../local/oauth/daemon";
import { allowAll } from "../../../local/principals";
import { RawKafkaClient } from "../gateway/helpers/raw";
import { captureError, createTopic, kafkaErrorType } from "../helpers/kafka";
import { endpointsPath, eventually, loadEndpoints, stateDir, uniqueName } from "../helpers";

const endpoints = loadEndpoints();
const oauth = (JSON.parse(fs.readFileSync(endpointsPath(), "utf8")) as { oauth?: OAuthServerInfo }).oauth;

interface TokenResponse {
  status: number;
  body: { access_token?: string; expires_in?: number; error?: string };
}

async function requestToken(clientId: string, secret: string, grant = "client_credentials"): Promise<TokenResponse> {
  if (!oauth) throw new Error("endpoints.json has no oauth: restart the environment (npm run local:up)");
  const res = await fetch(oauth.tokenEndpoint, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: `grant_type=${grant}`,
  });
  return { status: res.status, body: (await res.json()) as TokenResponse["body"] };
}

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;
}

function oauthKafka(token: string): Kafka {
  return new Kafka({
    clientId: "oauth-test",
    brokers: [endpoints.destination.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
    sasl: { mechanism: "oauthbearer", oauthBearerProvider: async () => ({ value: token }) },
  });
}

/** A JWT signed RS256 with `key` under the server's key id, so only the claims (or the key) differ from a real one. */
function signJwt(key: KeyObject, kid: string, payload: Record<string, unknown>): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${part({ alg: "RS256", typ: "JWT", kid })}.${part(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

let protocol: Protocol;
beforeAll(async () => {
  protocol = new Protocol(await kafkaMessageSpecs(stateDir()));
});

async function brokerVerdict(token: string): Promise<{ errorCode: unknown; message: unknown }> {
  const port = Number(endpoints.destination.bootstrap.split(":")[1]);
  const raw = await RawKafkaClient.connect(port, protocol);
  try {
    const { response } = await raw.oauthBearerLogin(token, { logicalCluster: endpoints.destination.clusterId });
    return { errorCode: response.ErrorCode, message: response.ErrorMessage };
  } finally {
    raw.close();
  }
}

const ACCEPTED = { errorCode: 0, message: "" };
const INVALID_TOKEN = { errorCode: 58, message: '{"status":"invalid_token"}' }; // SASL_AUTHENTICATION_FAILED

it("signs a registered client in with its token as User:<client id>, whom ACLs then gate", async () => {
  const clientId = uniqueName("oauth-app");
  const { secret } = registerOAuthClient(stateDir(), clientId);
  const token = await requestToken(clientId, secret);
  expect(token.status).toBe(200);
  const access = token.body.access_token as string;
  const c = claims(access);
  expect(c).toMatchObject({ sub: clientId, aud: oauth?.audience, iss: oauth?.issuer });
  expect((c.exp as number) - (c.iat as number)).toBe(oauth?.lifetimeSeconds);
  expect(token.body.expires_in).toBe(oauth?.lifetimeSeconds);

  const topic = uniqueName("oauth-topic");
  await createTopic(endpoints.destination, topic);
  const producer = oauthKafka(access).producer();
  await producer.connect();
  try {
    const denied = await captureError(() => producer.send({ topic, messages: [{ value: "before" }] }));
    expect(kafkaErrorType(denied.error)).toBe("TOPIC_AUTHORIZATION_FAILED");

    const group = uniqueName("oauth-group");
    await allowAll(endpoints, "destination", `User:${clientId}`, [
      [AclResourceTypes.TOPIC, topic, AclOperationTypes.WRITE],
      [AclResourceTypes.TOPIC, topic, AclOperationTypes.READ],
      [AclResourceTypes.TOPIC, topic, AclOperationTypes.DESCRIBE],
      [AclResourceTypes.GROUP, group, AclOperationTypes.READ],
    ]);
    await eventually(() => producer.send({ topic, messages: [{ value: "after" }] }), { what: "produce once granted" });
    const consumer = oauthKafka(access).consumer({ groupId: group, maxWaitTimeInMs: 200 });
    const values: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? "") });
    await eventually(async () => expect(values).toEqual(["after"]), { timeoutMs: 30_000 });
    await consumer.disconnect();
  } finally {
    await producer.disconnect();
  }
});

it("refuses a wrong client secret, an unknown client and any grant but client credentials at the token endpoint", async () => {
  const clientId = uniqueName("oauth-app");
  const { secret } = registerOAuthClient(stateDir(), clientId);
  expect(await requestToken(clientId, `${secret}x`)).toEqual({
    status: 401,
    body: { error: "invalid_client", error_description: "Client authentication failed" },
  });
  expect((await requestToken(uniqueName("nobody"), secret)).status).toBe(401);
  expect(await requestToken(clientId, secret, "password")).toMatchObject({
    status: 400,
    body: { error: "unsupported_grant_type" },
  });
});

it("refuses tokens that expired, name another audience or issuer, or are signed by another key", async () => {
  if (!oauth) throw new Error("endpoints.json has no oauth");
  const jwk = JSON.parse(
    fs.readFileSync(path.join(stateDir(), "oauth", "signing-key.json"), "utf8"),
  ) as import("node:crypto").JsonWebKey & { kid: string };
  const serverKey = createPrivateKey({ key: jwk, format: "jwk" });
  const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const now = Math.floor(Date.now() / 1000);
  const good = { iss: oauth.issuer, aud: oauth.audience, sub: "forged", iat: now, exp: now + 60 };

  // The control: a token this test signs with the server's key and right claims is accepted.
  expect(await brokerVerdict(signJwt(serverKey, jwk.kid, good))).toEqual(ACCEPTED);
  // Kafka allows 30 s of clock skew: two minutes past is expired.
  expect(await brokerVerdict(signJwt(serverKey, jwk.kid, { ...good, iat: now - 300, exp: now - 120 }))).toEqual(
    INVALID_TOKEN,
  );
  expect(await brokerVerdict(signJwt(serverKey, jwk.kid, { ...good, aud: "another-cluster" }))).toEqual(INVALID_TOKEN);
  expect(await brokerVerdict(signJwt(serverKey, jwk.kid, { ...good, iss: "http://127.0.0.1:1" }))).toEqual(
    INVALID_TOKEN,
  );
  expect(await brokerVerdict(signJwt(otherKey, jwk.kid, good))).toEqual(INVALID_TOKEN);

  // And as the server issues them: a client whose tokens are issued already expired (an IdP clock behind).
  const clientId = uniqueName("oauth-late");
  const { secret } = registerOAuthClient(stateDir(), clientId, { lifetimeSeconds: -120 });
  const late = await requestToken(clientId, secret);
  expect(late.status).toBe(200);
  expect(await brokerVerdict(late.body.access_token as string)).toEqual(INVALID_TOKEN);
});
