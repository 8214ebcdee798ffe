/**
 * `groups[].aclPrincipals`: source principal → destination principal, for the ACL carry-over with an existing
 * destination. Every mistake names the key, the problem and the fix; create mode refuses it (derived there).
 */
import { validateStackConfig } from "../../../config";
import { createDestination, issueAt, issuesOf, rawConfig, validPlain, validSecrets } from "./rawConfig";

function withMapping(mapping: unknown, plain = validPlain()): Record<string, unknown> {
  (plain.groups as Record<string, unknown>[])[0].aclPrincipals = mapping;
  return plain;
}

describe("groups[].aclPrincipals", () => {
  it("is read as given, and absent means no mapping", () => {
    const config = validateStackConfig(
      rawConfig(
        withMapping({ "User:payments-app": "User:sa-abc123", "User:ledger": "User:sa-abc123" }),
        validSecrets(),
      ),
    );
    expect(config.groups[0].aclPrincipals).toEqual({
      "User:payments-app": "User:sa-abc123",
      "User:ledger": "User:sa-abc123",
    });
    expect(config.groups[1].aclPrincipals).toBeUndefined();
  });

  it("refuses a list, an empty map, a principal without its type, and wildcards on either side", () => {
    const key = "kafka-cutover:groups[0].aclPrincipals";
    expect(issueAt(issuesOf(withMapping(["User:a"])), key)).toEqual({
      key,
      problem: expect.stringMatching(/^must map each source principal to the destination principal/),
      fix: `pulumi config set --path '${key}["User:orders-app"]' User:sa-abc123`,
    });
    expect(issueAt(issuesOf(withMapping({})), key).problem).toMatch(/^must map each source principal/);

    const badKey = issuesOf(withMapping({ alice: "User:sa-1" }));
    expect(issueAt(badKey, key)).toEqual({
      key,
      problem: 'has the key "alice", which is not a source principal such as User:orders-app (Type:name)',
      fix: `pulumi config rm --path '${key}["alice"]' and pulumi config set --path '${key}["User:orders-app"]' User:sa-abc123`,
    });
    expect(issueAt(issuesOf(withMapping({ "User:*": "User:sa-1" })), key).problem).toMatch(
      /every principal of the source: map each of the group's principals on its own/,
    );

    const entry = `${key}["User:alice"]`;
    expect(issueAt(issuesOf(withMapping({ "User:alice": "User:*" })), entry)).toEqual({
      key: entry,
      problem: `is "User:*": that would give the source principal's rights to every principal of the destination`,
      fix: `pulumi config set --path '${key}["User:alice"]' User:sa-abc123`,
    });
    expect(issueAt(issuesOf(withMapping({ "User:alice": "sa-1" })), entry).problem).toMatch(
      /^is "sa-1", which is not one destination principal such as User:sa-abc123/,
    );
    expect(issueAt(issuesOf(withMapping({ "User:alice": 7 })), entry).problem).toMatch(/^is 7, which is not one/);
  });

  it("refuses the program's own source user, whose ACLs are never carried", () => {
    const key = 'kafka-cutover:groups[0].aclPrincipals["User:cutover"]';
    expect(
      issueAt(issuesOf(withMapping({ "User:cutover": "User:sa-1", "User:payments-app": "User:sa-2" })), key),
    ).toEqual({
      key,
      problem: expect.stringMatching(
        /^maps the program's own source user \(source.auth.username\), whose ACLs are the link's/,
      ),
      fix: `pulumi config rm --path '${key}'`,
    });
  });

  it("is refused in create mode, where nothing reads it yet", () => {
    const plain = withMapping({ "User:payments-app": "User:sa-abc123" });
    plain.destination = createDestination();
    const secrets = Object.fromEntries(
      Object.entries(validSecrets()).filter(([k]) => k !== "destinationApiSecret" && k !== "swapCredentials"),
    );
    const key = "kafka-cutover:groups[0].aclPrincipals";
    expect(issueAt(issuesOf(plain, secrets), key)).toEqual({
      key,
      problem: expect.stringMatching(/^is set, but destination.mode is create, .*not built yet$/),
      fix: `pulumi config rm --path '${key}'`,
    });
  });
});
