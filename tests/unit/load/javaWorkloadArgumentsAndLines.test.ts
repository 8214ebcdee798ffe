/** The Java workload's command line never carries a password, and its JSON lines parse as the wrapper reads them. */
import { parseWorkloadLine, workloadArgs, type JavaWorkloadOptions } from "../../../local/load/javaWorkload";

const opts: JavaWorkloadOptions = {
  version: "4.1.1",
  groupProtocol: "consumer",
  bootstrap: "127.0.0.1:9092",
  mechanism: "SCRAM-SHA-512",
  username: "app",
  password: "s3cret-password",
  topic: "t",
  partition: 1,
  consumerGroup: "g",
  ratePerSec: 200,
  count: 10,
  producerConfig: { "delivery.timeout.ms": "30000" },
};

describe("the Java workload's arguments", () => {
  it("pass the password by the name of an environment variable, never its value", () => {
    for (const mode of ["produce", "consume"] as const) {
      const args = workloadArgs(opts, mode, "p");
      expect(args.join(" ")).not.toContain("s3cret-password");
      expect(args).toEqual(expect.arrayContaining(["--username", "app", "--password-env"]));
    }
  });

  it("give each mode its own options", () => {
    const produce = workloadArgs(opts, "produce", "p1").join(" ");
    expect(produce).toMatch(/^produce --topic t --bootstrap 127\.0\.0\.1:9092 --security-protocol SASL_PLAINTEXT /);
    expect(produce).toContain("--config delivery.timeout.ms=30000 --producer p1 --rate 200 --partition 1 --count 10");
    const consume = workloadArgs(opts, "consume", "p1").join(" ");
    expect(consume).toContain("--group g --group-protocol consumer");
    expect(consume).not.toContain("delivery.timeout.ms");
  });
});

describe("the Java workload's lines", () => {
  it("parse as JSON objects with a type, and anything else is ignored", () => {
    expect(
      parseWorkloadLine(
        '{"type":"acked","producer":"p","seq":7,"topic":"t","partition":2,"offset":41,"sentAt":1,"at":2}',
      ),
    ).toEqual({ type: "acked", producer: "p", seq: 7, topic: "t", partition: 2, offset: 41, sentAt: 1, at: 2 });
    expect(parseWorkloadLine('{"type":"error","error":"X: y","fatal":true,"at":3}')).toMatchObject({ fatal: true });
    expect(parseWorkloadLine("[main] WARN org.apache.kafka.clients.NetworkClient - …")).toBeUndefined();
    expect(parseWorkloadLine("{not json")).toBeUndefined();
    expect(parseWorkloadLine('{"no":"type"}')).toBeUndefined();
  });
});
