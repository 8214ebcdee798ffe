import * as pulumi from "@pulumi/pulumi";
import { validateStackConfig } from "../../../config";
import { issuesOf, rawConfig, validPlain, validSecrets } from "./rawConfig";

type Group = Record<string, unknown>;

/** validPlain() with a canary on its groups (payments is passthrough, orders swaps SCRAM in). */
function withCanaries(payments?: unknown, orders?: unknown): Record<string, unknown> {
  const plain = validPlain();
  const groups = plain.groups as Group[];
  if (payments !== undefined) groups[0].canary = payments;
  if (orders !== undefined) groups[1].canary = orders;
  return plain;
}

const passwords = (p: Record<string, string>) => ({ ...validSecrets(), canaryPasswords: JSON.stringify(p) });

describe("a group's canary in the stack config", () => {
  it("signs in with the route's mechanism once switched, its password a secret", async () => {
    const cfg = validateStackConfig(
      rawConfig(
        withCanaries(
          { topic: "kafka-cutover.canary", username: "payments-canary" },
          { topic: "kafka-cutover.canary", username: "orders-service" },
        ),
        passwords({ payments: "pw-p", orders: "pw-o" }),
      ),
    );
    const [payments, orders] = cfg.groups;
    expect(payments.canary).toMatchObject({
      topic: "kafka-cutover.canary",
      username: "payments-canary",
      mechanism: "PLAIN",
    });
    expect(orders.canary).toMatchObject({ username: "orders-service", mechanism: "SCRAM-SHA-512" });
    const pw = await new Promise<{ value: string; secret: boolean }>((resolve) =>
      pulumi
        .all([orders.canary!.password, pulumi.isSecret(orders.canary!.password)])
        .apply(([value, secret]) => resolve({ value, secret })),
    );
    expect(pw).toEqual({ value: "pw-o", secret: true });
  });

  it("takes a mechanism the config names over the route's", () => {
    const cfg = validateStackConfig(
      rawConfig(
        withCanaries(undefined, { topic: "c", username: "u", mechanism: "SCRAM-SHA-256" }),
        passwords({ orders: "x" }),
      ),
    );
    expect(cfg.groups[1].canary?.mechanism).toBe("SCRAM-SHA-256");
  });

  it("names the missing password and the command that stores it as a secret", () => {
    const issues = issuesOf(withCanaries(undefined, { topic: "c", username: "u" }), passwords({ payments: "x" }));
    expect(issues).toEqual([
      {
        key: "kafka-cutover:canaryPasswords",
        problem: 'has no entry for "orders", whose canary (groups[1].canary) signs in as u',
        fix: "pulumi config set --secret --path 'kafka-cutover:canaryPasswords.orders' <password>",
      },
    ]);
  });

  it("requires canaryPasswords once a group has a canary", () => {
    const issues = issuesOf(withCanaries(undefined, { topic: "c", username: "u" }), validSecrets());
    expect(issues.map((i) => [i.key, i.fix])).toEqual([
      [
        "kafka-cutover:canaryPasswords",
        `pulumi config set --secret kafka-cutover:canaryPasswords '{"orders": "<password>"}'`,
      ],
    ]);
  });

  it("refuses canaryPasswords stored in plain text, without echoing it", () => {
    const plain = { ...withCanaries(undefined, { topic: "c", username: "u" }), canaryPasswords: { orders: "hunter2" } };
    const raw = rawConfig(plain, validSecrets()); // canaryPasswords among the plain values: not a secret
    expect(() => validateStackConfig(raw)).toThrow(/canaryPasswords: is stored in plain text/);
    expect(() => validateStackConfig(raw)).not.toThrow(/hunter2/);
  });

  it("refuses a password written into the canary itself, without echoing it", () => {
    const raw = rawConfig(
      withCanaries(undefined, { topic: "c", username: "u", password: "hunter2" }),
      passwords({ orders: "x" }),
    );
    expect(() => validateStackConfig(raw)).toThrow(/groups\[1\]\.canary\.password: holds a credential in plain text/);
    expect(() => validateStackConfig(raw)).not.toThrow(/hunter2/);
  });

  it("refuses a canary writing into one of its group's own topics", () => {
    const issues = issuesOf(withCanaries(undefined, { topic: "orders", username: "u" }), passwords({ orders: "x" }));
    expect(issues.map((i) => [i.key, i.problem])).toEqual([
      [
        "kafka-cutover:groups[1].canary.topic",
        "is \"orders\", one of the group's own topics: the canary would write into the applications' data",
      ],
    ]);
  });

  it("refuses a canary on an mTLS route, which takes no SASL login", () => {
    const plain = withCanaries(undefined, { topic: "c", username: "u" });
    (plain.gateway as Record<string, unknown>).swap = {
      clientAuthentication: "mtls",
      principalMappingRules: ["RULE:^CN=([^,]+).*$/$1/"],
    };
    const issues = issuesOf(plain, passwords({ orders: "x" }));
    expect(issues.map((i) => i.key)).toContain("kafka-cutover:groups[1].canary");
  });

  it("refuses canaryPasswords when no group has a canary", () => {
    const issues = issuesOf(validPlain(), passwords({ orders: "x" }));
    expect(issues).toEqual([
      {
        key: "kafka-cutover:canaryPasswords",
        problem: "is set, but no group has a canary, so nothing reads it",
        fix: "pulumi config rm kafka-cutover:canaryPasswords",
      },
    ]);
  });
});
