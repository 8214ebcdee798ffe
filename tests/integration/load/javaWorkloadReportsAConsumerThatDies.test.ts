/**
 * A Java consumer that dies must show as dead, not as a consumer that is merely slow: the wrapper's `ready`
 * rejects with the client's exception and stop() reports it, at once and without hanging. KIP-848 on a 3.x
 * client is refused before any JVM starts.
 */
import { startJavaWorkload } from "../../../local/load/javaWorkload";
import { loadEndpoints, uniqueName, withTimeout } from "../helpers";
import { createTopic } from "../helpers/kafka";

const endpoints = loadEndpoints();

it("a consumer with a wrong password is reported as a fatal SaslAuthenticationException, and stop() returns", async () => {
  const topic = uniqueName("java-dies");
  await createTopic(endpoints.source, topic, 1);
  const workload = await startJavaWorkload({
    version: "4.1.1",
    groupProtocol: "consumer",
    bootstrap: endpoints.source.bootstrap,
    mechanism: "SCRAM-SHA-512",
    username: endpoints.source.admin.username,
    password: "not-the-password",
    topic,
    consumerGroup: uniqueName("java-dies-group"),
    ratePerSec: 50,
  });
  await expect(withTimeout(workload.ready, 30_000, "ready")).rejects.toThrow(
    /Java consumer \(kafka-clients 4\.1\.1\) died: .*SaslAuthenticationException/,
  );
  const report = await withTimeout(workload.stop(), 30_000, "stop");
  expect(report.consumerFatal).toMatch(/^org\.apache\.kafka\.common\.errors\.SaslAuthenticationException: /);
  expect(report.consumerErrors.filter((e) => e.fatal)).toHaveLength(1);
  expect(report.exits.consumer.code).toBe(1);
  expect(report.acked).toEqual([]);
  // The password is never printed, by either client.
  expect(JSON.stringify(report)).not.toContain("not-the-password");
}, 90_000);

it("KIP-848 (group.protocol=consumer) on a 3.x client is refused before anything starts", async () => {
  await expect(
    startJavaWorkload({
      version: "3.9.1",
      groupProtocol: "consumer",
      bootstrap: endpoints.source.bootstrap,
      topic: "unused",
      consumerGroup: "unused",
      ratePerSec: 1,
    }),
  ).rejects.toThrow(
    /group\.protocol=consumer \(KIP-848\) needs kafka-clients 4\.x; 3\.9\.1 has only the classic protocol/,
  );
});
