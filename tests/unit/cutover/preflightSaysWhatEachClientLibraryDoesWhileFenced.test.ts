/**
 * The preview tells the operator, before anything changes, what the fence's error code will do to each client
 * library the group may run, with the settings it needs, and the Java reconnect risk that no code avoids.
 */
import { DEFAULT_FENCE_ERROR_CODE } from "../../../components/gatewaySpec";
import { fenceAdvice } from "../../../dynamic/cutover/fenceAdvice";

it("for the default code: kafkajs's retry setting, Java's fenced handshake on reconnect, librdkafka's Fetch errors", () => {
  const notes = fenceAdvice(DEFAULT_FENCE_ERROR_CODE);
  expect(notes[0]).toBe(
    "while fenced, every request on the route gets COORDINATOR_NOT_AVAILABLE (groups[].fence.errorCode); what each client library does meanwhile:",
  );
  expect(notes.find((n) => n.startsWith("kafkajs: "))).toMatch(/retry\.retries ≥ 8/);
  expect(notes.find((n) => n.startsWith("Java (kafka-clients): "))).toMatch(
    /retry;.*IllegalSaslStateException: plan to restart/,
  );
  expect(notes.find((n) => n.startsWith("librdkafka: "))).toMatch(/kcat exits/);
});

it("for KAFKA_STORAGE_ERROR (what librdkafka consumers need): Java consumers that rebalance during the fence die", () => {
  const notes = fenceAdvice("KAFKA_STORAGE_ERROR");
  expect(notes.find((n) => n.startsWith("librdkafka: "))).toBe("librdkafka: retries silently");
  expect(notes.find((n) => n.startsWith("Java (kafka-clients): "))).toMatch(/SyncGroup .* fail fatally/);
});

it("for a code no client was tried with: says so and names the tested ones, rather than guess", () => {
  const notes = fenceAdvice("REQUEST_TIMED_OUT");
  expect(notes[0]).toMatch(/REQUEST_TIMED_OUT .*no client library has been tested with this code here/);
  expect(notes[0]).toMatch(/COORDINATOR_NOT_AVAILABLE \(the default\) or KAFKA_STORAGE_ERROR/);
  expect(notes[1]).toMatch(/^Java clients: .*IllegalSaslStateException/);
});
