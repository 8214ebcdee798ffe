/**
 * kafkajs talks to each cluster with its own mechanism (source: SCRAM-SHA-512, destination: PLAIN API
 * key), and a wrong password or the wrong mechanism is refused with an authentication error, fast.
 */
import type { SASLOptions } from "kafkajs";
import { captureError, client, consumeValues, createTopic, kafkaErrorType, type Endpoint } from "../helpers/kafka";
import { loadEndpoints, uniqueName, withTimeout } from "../helpers";

const endpoints = loadEndpoints();
const clusters: [string, Endpoint][] = [
  ["source", endpoints.source],
  ["destination", endpoints.destination],
];

function adminCredentials(endpoint: Endpoint): { username: string; password: string } {
  return "admin" in endpoint ? endpoint.admin : { username: endpoint.apiKey, password: endpoint.apiSecret };
}

describe.each(clusters)("%s cluster", (_name, endpoint) => {
  it(`produces and consumes with ${endpoint.mechanism}`, async () => {
    const topic = uniqueName("auth-roundtrip");
    await createTopic(endpoint, topic);
    const producer = client(endpoint).producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ value: "one" }, { value: "two" }, { value: "three" }] });
    } finally {
      await producer.disconnect();
    }
    const values = await consumeValues(endpoint, topic, uniqueName("auth-group"), 3);
    expect(values).toEqual(["one", "two", "three"]);
  });

  it("refuses a wrong password with an authentication error, within 10 s", async () => {
    const { username } = adminCredentials(endpoint);
    const admin = client(endpoint, { username, password: "not-the-password" }).admin();
    const { error, elapsedMs } = await withTimeout(
      captureError(() => admin.connect()),
      15_000,
      "connect",
    );
    await admin.disconnect();
    expect(error.name).toBe("KafkaJSSASLAuthenticationError");
    const mech = endpoint.mechanism === "PLAIN" ? "PLAIN" : "SCRAM SHA512";
    expect(error.message).toMatch(
      new RegExp(`SASL ${mech} authentication failed.*(invalid credentials|Invalid username or password)`, "i"),
    );
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it("refuses the other cluster's mechanism with an authentication error, within 10 s", async () => {
    const { username, password } = adminCredentials(endpoint);
    const wrong: SASLOptions =
      endpoint.mechanism === "PLAIN"
        ? { mechanism: "scram-sha-512", username, password }
        : { mechanism: "plain", username, password };
    const admin = client(endpoint, undefined, { sasl: wrong }).admin();
    const { error, elapsedMs } = await withTimeout(
      captureError(() => admin.connect()),
      15_000,
      "connect",
    );
    await admin.disconnect();
    // The broker answers SaslHandshake with UNSUPPORTED_SASL_MECHANISM; kafkajs surfaces it as a protocol error.
    expect(error.name).toBe("KafkaJSProtocolError");
    expect(kafkaErrorType(error)).toBe("UNSUPPORTED_SASL_MECHANISM");
    expect(error.message).toMatch(/does not support the requested SASL mechanism/);
    expect(elapsedMs).toBeLessThan(10_000);
  });
});
