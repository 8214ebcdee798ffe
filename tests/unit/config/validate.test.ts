import * as pulumi from "@pulumi/pulumi";
import { StackConfigError, validateStackConfig } from "../../../config";
import { createDestination, issueAt, issuesOf, rawConfig, validPlain, validSecrets } from "./rawConfig";

function secretValue(o: pulumi.Output<string>): Promise<{ value: string; secret: boolean }> {
  return new Promise((resolve) => {
    pulumi.all([o, pulumi.isSecret(o)]).apply(([value, secret]) => resolve({ value, secret }));
  });
}

describe("stack config validation", () => {
  it("accepts a complete existing-mode config and fills the defaults", () => {
    const cfg = validateStackConfig(rawConfig(validPlain(), validSecrets()));
    expect(cfg.source.location).toEqual({
      kind: "bootstrap",
      brokers: [
        { host: "b-1.msk.example", port: 9096 },
        { host: "b-2.msk.example", port: 9096 },
      ],
    });
    expect(cfg.source.securityProtocol).toBe("SASL_SSL");
    expect(cfg.groups.map((g) => [g.name, g.auth, g.cutover])).toEqual([
      ["payments", "passthrough", false],
      ["orders", "swap", true],
    ]);
    expect(cfg.groups[0].endpoint).toEqual({ host: "payments.gw.example", port: 9092 });
    expect(cfg.link.offsetSyncMs).toBe(5000);
  });

  it("keeps every credential a Pulumi secret", async () => {
    const cfg = validateStackConfig(rawConfig(validPlain(), validSecrets()));
    if (cfg.destination.mode !== "existing") throw new Error("unexpected shape");
    for (const [o, want] of [
      [cfg.source.auth.password, "scram-password"],
      [cfg.destination.apiSecret, "api-secret"],
      [cfg.gateway.kubeconfig, "apiVersion: v1\nkind: Config\n"],
    ] as const) {
      await expect(secretValue(o)).resolves.toEqual({ value: want, secret: true });
    }
  });

  it("names a missing source and the command that sets it", () => {
    const { source: _omit, ...plain } = validPlain();
    const issue = issueAt(issuesOf(plain), "kafka-cutover:source");
    expect(issue.problem).toBe("is not set");
    expect(issue.fix).toMatch(/^pulumi config set kafka-cutover:source '\{"bootstrap"/);
  });

  it.each([
    ["no port", "b-1.msk.example"],
    ["a port out of range", "b-1.msk.example:70000"],
    ["an empty broker in the list", "b-1.msk.example:9096,"],
    ["a URL instead of host:port", "https://b-1.msk.example:9096"],
  ])("rejects a malformed source bootstrap (%s)", (_why, bootstrap) => {
    const plain = validPlain();
    plain.source = { ...(plain.source as object), bootstrap };
    const issue = issueAt(issuesOf(plain), "kafka-cutover:source.bootstrap");
    expect(issue.problem).toContain(JSON.stringify(bootstrap));
    expect(issue.problem).toContain("host:port");
    expect(issue.fix).toBe(
      "pulumi config set --path 'kafka-cutover:source.bootstrap' b-1.msk.example:9096,b-2.msk.example:9096",
    );
  });

  it("rejects a group with no topics", () => {
    const plain = validPlain();
    (plain.groups as Record<string, unknown>[])[1].topics = [];
    const issue = issueAt(issuesOf(plain), "kafka-cutover:groups[1].topics");
    expect(issue.problem).toBe("is empty: a migration group moves at least one topic");
    expect(issue.fix).toBe("pulumi config set --path 'kafka-cutover:groups[1].topics[0]' payments.transactions");
  });

  it("rejects two groups with the same name", () => {
    const plain = validPlain();
    (plain.groups as Record<string, unknown>[])[1].name = "payments";
    const issue = issueAt(issuesOf(plain), "kafka-cutover:groups[1].name");
    expect(issue.problem).toBe('"payments" is already the name of groups[0]; group names must be unique');
    expect(issue.fix).toBe("pulumi config set --path 'kafka-cutover:groups[1].name' payments-2");
  });

  it("rejects a topic claimed by two groups", () => {
    const plain = validPlain();
    (plain.groups as Record<string, unknown>[])[1].topics = ["orders", "payments.events"];
    const issue = issueAt(issuesOf(plain), "kafka-cutover:groups[1].topics[1]");
    expect(issue.problem).toBe(
      'topic "payments.events" is already in groups[0] (payments); a topic belongs to exactly one group',
    );
    expect(issue.fix).toContain("remove it from one of the two groups");
  });

  it("rejects an unknown source auth mechanism, listing the known ones", () => {
    const plain = validPlain();
    plain.source = { bootstrap: "b-1.msk.example:9096", auth: { mechanism: "SCRAM-SHA-1", username: "u" } };
    const issue = issueAt(issuesOf(plain), "kafka-cutover:source.auth.mechanism");
    expect(issue.problem).toBe('is "SCRAM-SHA-1", which is not one of SCRAM-SHA-512, SCRAM-SHA-256, PLAIN');
    expect(issue.fix).toBe("pulumi config set --path 'kafka-cutover:source.auth.mechanism' SCRAM-SHA-512");
  });

  it("refuses MTLS to the source at validation, saying the cutover signs in with SASL and how to give it a user", () => {
    const plain = validPlain();
    plain.source = { bootstrap: "b-1.msk.example:9094", auth: { mechanism: "MTLS", certificatePem: "-----BEGIN" } };
    const issues = issuesOf(plain);
    const issue = issueAt(issues, "kafka-cutover:source.auth.mechanism");
    expect(issue.problem).toBe(
      "is MTLS, which this version does not offer: the link and the cutover sign in to the source with SASL",
    );
    expect(issue.fix).toMatch(/turn on SASL\/SCRAM on the source next to mTLS .* SCRAM-SHA-512 .*sourcePassword$/);
    // One clear issue, not a cascade about fields MTLS would have used.
    expect(issues.filter((i) => i.key.startsWith("kafka-cutover:source.auth"))).toHaveLength(1);
  });

  it("rejects an unknown route auth mode", () => {
    const plain = validPlain();
    (plain.groups as Record<string, unknown>[])[0].auth = "translate";
    const issue = issueAt(issuesOf(plain), "kafka-cutover:groups[0].auth");
    expect(issue.problem).toBe('is "translate", which is not one of passthrough, swap');
    expect(issue.fix).toBe("pulumi config set --path 'kafka-cutover:groups[0].auth' passthrough");
  });

  it("rejects a secret stored in plain text, without echoing it", () => {
    const secrets = validSecrets();
    const raw = rawConfig(validPlain(), secrets);
    const values = { ...raw.values };
    const secretKeys = new Set(raw.secretKeys);
    secretKeys.delete("kafka-cutover:destinationApiSecret"); // set without --secret
    let err: unknown;
    try {
      validateStackConfig({ values, secretKeys });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StackConfigError);
    const issue = issueAt([...(err as StackConfigError).issues], "kafka-cutover:destinationApiSecret");
    expect(issue.problem).toBe(
      "is stored in plain text, but it is the destination cluster API key's secret and must be a Pulumi secret",
    );
    expect(issue.fix).toBe(
      "pulumi config set --secret kafka-cutover:destinationApiSecret <value> (this replaces the plain-text value)",
    );
    expect((err as Error).message).not.toContain(secrets.destinationApiSecret);
  });

  it("rejects a password written into the plain source object, without echoing it", () => {
    const plain = validPlain();
    plain.source = {
      bootstrap: "b-1.msk.example:9096",
      auth: { mechanism: "SCRAM-SHA-512", username: "u", password: "hunter2-in-plain-text" },
    };
    let message = "";
    try {
      validateStackConfig(rawConfig(plain, validSecrets()));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("kafka-cutover:source.auth.password: holds a credential in plain text");
    expect(message).toContain(
      "pulumi config rm --path 'kafka-cutover:source.auth.password' && pulumi config set --secret kafka-cutover:sourcePassword <value>",
    );
    expect(message).not.toContain("hunter2-in-plain-text");
  });

  it("requires the secrets a SASL source and an existing destination need", () => {
    const issues = issuesOf(validPlain(), {});
    expect(issueAt(issues, "kafka-cutover:sourcePassword").fix).toBe(
      "pulumi config set --secret kafka-cutover:sourcePassword <value>",
    );
    expect(issueAt(issues, "kafka-cutover:destinationApiSecret").problem).toContain("is not set");
    expect(issueAt(issues, "kafka-cutover:kubeconfig").problem).toContain("is not set");
  });

  it("flags a misspelt setting instead of silently using the default", () => {
    const plain = validPlain();
    (plain.groups as Record<string, unknown>[])[0].lagTreshold = 10;
    const issue = issueAt(issuesOf(plain), "kafka-cutover:groups[0].lagTreshold");
    expect(issue.problem).toContain("did you mean lagThreshold?");
    expect(issue.fix).toBe("pulumi config rm --path 'kafka-cutover:groups[0].lagTreshold'");
  });

  it("reports every problem at once, numbered, in one error message", () => {
    const plain = validPlain();
    const groups = plain.groups as Record<string, unknown>[];
    groups[0].topics = [];
    groups[1].name = "Not A Name";
    plain.link = { name: "l", offsetSyncMs: 10 };
    let err: unknown;
    try {
      validateStackConfig(rawConfig(plain, validSecrets()));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(pulumi.RunError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^the stack config has 3 problems:\n/);
    expect(msg).toContain(
      "1. kafka-cutover:link.offsetSyncMs: is 10, but must be a whole number between 1000 and 3600000 (milliseconds)",
    );
    expect(msg).toContain("2. kafka-cutover:groups[0].topics: is empty");
    expect(msg).toContain('3. kafka-cutover:groups[1].name: is "Not A Name"');
  });

  it("rejects two groups sharing one Gateway endpoint or one consumer group", () => {
    const plain = validPlain();
    const groups = plain.groups as Record<string, unknown>[];
    groups[1].endpoint = "payments.gw.example:9092";
    groups[1].consumerGroups = ["payments-ledger"];
    const issues = issuesOf(plain);
    expect(issueAt(issues, "kafka-cutover:groups[1].endpoint").problem).toContain("already the endpoint of groups[0]");
    expect(issueAt(issues, "kafka-cutover:groups[1].consumerGroups[0]").problem).toContain("already in groups[0]");
  });

  it("validates create mode's networking per type", () => {
    const plain = validPlain();
    plain.destination = createDestination(
      { availability: "MULTI_ZONE" },
      { type: "peering", vpcId: "vpc-0abc", subnetIds: ["subnet-1"] },
    );
    const issue = issueAt(
      issuesOf(plain, { sourcePassword: "p", kubeconfig: "k" }),
      "kafka-cutover:destination.networking.cidr",
    );
    expect(issue.problem).toContain("is required for peering");
    const ok = {
      ...plain,
      destination: {
        ...(plain.destination as object),
        networking: { type: "privatelink", vpcId: "vpc-0abc", subnetIds: ["subnet-1", "subnet-2"] },
      },
    };
    const cfg = validateStackConfig(rawConfig(ok, { sourcePassword: "p", kubeconfig: "k" }));
    expect(cfg.destination).toMatchObject({
      mode: "create",
      cluster: { ckus: 2, availability: "MULTI_ZONE" },
      networking: { type: "privatelink" },
    });
  });
});
