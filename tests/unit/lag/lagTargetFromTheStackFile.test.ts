/**
 * What `npm run lag` watches comes from the stack file the program reads, validated by the program's rules:
 * the group's topics, consumer groups and threshold, both clusters as the cutover reads them and the link's
 * REST API; secrets from the environment or `pulumi config get`, and one in plain text refused unrepeated.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { StackConfigError } from "../../../config";
import { resolveTarget } from "../../../tools/lag/access";

function stackFile(extra: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lag-access-"));
  const file = path.join(dir, "Pulumi.prod.yaml");
  fs.writeFileSync(
    file,
    `config:
  kafka-cutover:source:
    bootstrap: b-1.msk.example:9096
    securityProtocol: SASL_SSL
    auth: { mechanism: SCRAM-SHA-512, username: cutover-link }
  kafka-cutover:destination:
    mode: existing
    clusterId: lkc-abc123
    bootstrap: pkc-1.example:9092
    restEndpoint: https://pkc-1.example:443
    apiKey: KEY1
  kafka-cutover:link: { name: msk-to-cc }
  kafka-cutover:gateway: { namespace: confluent }
  kafka-cutover:groups:
    - name: payments
      topics: [payments.events]
      consumerGroups: [ledger]
      endpoint: payments.gw.example:9092
      lagThreshold: 250
${extra}`,
  );
  return file;
}

it("reads the group, both clusters and the link, with secrets through pulumi config get", () => {
  const file = stackFile(
    "  kafka-cutover:sourcePassword:\n    secure: v1:a\n  kafka-cutover:destinationApiSecret:\n    secure: v1:b\n",
  );
  const asked: string[] = [];
  const target = resolveTarget({ group: "payments", configFile: file }, {}, (key, stack) => {
    asked.push(`${key}@${stack}`);
    return key.endsWith("sourcePassword") ? "pw" : "api-secret";
  });
  expect(asked).toEqual(["kafka-cutover:sourcePassword@prod", "kafka-cutover:destinationApiSecret@prod"]);
  expect(target).toEqual({
    group: "payments",
    topics: { "payments.events": "payments.events" },
    consumerGroups: ["ledger"],
    lagThreshold: 250,
    link: {
      name: "msk-to-cc",
      restEndpoint: "https://pkc-1.example:443",
      clusterId: "lkc-abc123",
      apiKey: "KEY1",
      apiSecret: "api-secret",
    },
    source: {
      bootstrap: "b-1.msk.example:9096",
      securityProtocol: "SASL_SSL",
      mechanism: "SCRAM-SHA-512",
      username: "cutover-link",
      password: "pw",
    },
    destination: {
      bootstrap: "pkc-1.example:9092",
      securityProtocol: "SASL_SSL",
      mechanism: "PLAIN",
      username: "KEY1",
      password: "api-secret",
    },
  });
});

it("takes secrets from the environment, and names an unknown group", () => {
  const file = stackFile("");
  const env = { KAFKA_CUTOVER_SOURCE_PASSWORD: "pw", KAFKA_CUTOVER_DESTINATION_API_SECRET: "s" };
  const never = (): string => {
    throw new Error("pulumi config get called");
  };
  expect(resolveTarget({ group: "payments", configFile: file }, env, never).source.password).toBe("pw");
  expect(() => resolveTarget({ group: "orders", configFile: file }, env, never)).toThrow(
    /has no group orders; its groups: payments/,
  );
});

it("refuses a secret stored in plain text without repeating it", () => {
  const file = stackFile(
    "  kafka-cutover:sourcePassword: plain-text-pw\n  kafka-cutover:destinationApiSecret:\n    secure: v1:b\n",
  );
  let error: unknown;
  try {
    resolveTarget({ group: "payments", configFile: file }, {}, () => "s");
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(StackConfigError);
  expect((error as Error).message).toMatch(/kafka-cutover:sourcePassword: is stored in plain text/);
  expect((error as Error).message).not.toContain("plain-text-pw");
});
