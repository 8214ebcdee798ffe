/**
 * Where a swap route's secret-store entries come from — `swapCredentials` (existing destination, PLAIN out),
 * the API key the stack creates per group (create mode), or the OAuth client (OAUTHBEARER out) — and every
 * error naming the key, the problem and the fix, without echoing a secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigIssue, StackConfig, StackConfigError, validateStackConfig } from "../../../config";
import { createDestination, rawConfig, validPlain, validSecrets } from "./rawConfig";

type Plain = Record<string, unknown>;
type Group = Record<string, unknown>;

function check(plain: Plain, secrets: Record<string, string>, plainTextKeys: string[] = []): StackConfig {
  const raw = rawConfig(plain, secrets);
  const secretKeys = new Set([...raw.secretKeys].filter((k) => !plainTextKeys.includes(k.split(":")[1])));
  return validateStackConfig({ values: raw.values, secretKeys });
}

function failure(plain: Plain, secrets: Record<string, string>, plainTextKeys: string[] = []): StackConfigError {
  try {
    check(plain, secrets, plainTextKeys);
  } catch (e) {
    if (e instanceof StackConfigError) return e;
    throw e;
  }
  throw new Error("expected the config to be rejected, but it was accepted");
}

function issueAt(err: StackConfigError, key: string): ConfigIssue {
  const found = err.issues.filter((i) => i.key === `kafka-cutover:${key}`);
  if (found.length !== 1)
    throw new Error(
      `expected one issue for ${key}; got: ${err.issues.map((i) => `${i.key}: ${i.problem}`).join("; ")}`,
    );
  return found[0];
}

function groups(plain: Plain): Group[] {
  return plain.groups as Group[];
}

function createMode(plain: Plain = validPlain()): Plain {
  plain.destination = createDestination();
  return plain;
}

function withoutKeys(secrets: Record<string, string>, ...keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(secrets).filter(([k]) => !keys.includes(k)));
}

const CREATE_SECRETS = withoutKeys(validSecrets(), "destinationApiSecret", "swapCredentials");

function oauth(plain: Plain = validPlain(), swap: Record<string, unknown> = {}): Plain {
  (plain.gateway as Record<string, unknown>).swap = {
    clusterAuthentication: "oauth",
    tokenEndpointUri: "https://idp.example.com/oauth2/token",
    identityPoolId: "pool-Ab12",
    ...swap,
  };
  return plain;
}
const OAUTH_SECRETS = {
  ...withoutKeys(validSecrets(), "swapCredentials"),
  swapOAuthClientId: "0oa1gateway",
  swapOAuthClientSecret: "s3cr3t-oauth-client-secret",
};

function resolved<T>(o: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  return new Promise((resolve) =>
    pulumi.all([o, pulumi.isSecret(o)]).apply(([value, secret]) => resolve({ value: value as T, secret })),
  );
}

describe("swap credentials with an existing destination and PLAIN out", () => {
  it("requires swapCredentials when a group swaps, with the --secret command listing its principals", () => {
    const err = failure(validPlain(), withoutKeys(validSecrets(), "swapCredentials"));
    const issue = issueAt(err, "swapCredentials");
    expect(issue.problem).toBe(
      "is not set, but group orders uses auth: swap: the Gateway needs the destination API key of each client principal",
    );
    expect(issue.fix).toBe(
      `pulumi config set --secret kafka-cutover:swapCredentials '{"orders-service": "<apiKey>/<apiSecret>"}'`,
    );
  });

  it("refuses swapCredentials in plain text once, without repeating it or its value", () => {
    const err = failure(validPlain(), validSecrets(), ["swapCredentials"]);
    expect(issueAt(err, "swapCredentials").problem).toContain("is stored in plain text");
    expect(err.message).not.toContain("orders-api-secret");
  });

  it("names a listed principal that swapCredentials has no entry for", () => {
    const plain = validPlain();
    groups(plain)[1].principals = ["orders-service", "orders-audit"];
    const issue = issueAt(failure(plain, validSecrets()), "swapCredentials");
    expect(issue.problem).toBe(
      'has no entry for "orders-audit", listed in groups[1].principals (orders): the Gateway could not sign it in to the destination after the cutover',
    );
    expect(issue.fix).toContain(`'{"orders-service": "<apiKey>/<apiSecret>", "orders-audit": "<apiKey>/<apiSecret>"}'`);
  });

  it("refuses a principal that cannot be a key of the File secret store, naming it but no value", () => {
    const secrets = { ...validSecrets(), swapCredentials: JSON.stringify({ "User:orders": "K/s3cr3t-x" }) };
    const plain = validPlain();
    groups(plain)[1].principals = [];
    const err = failure(plain, secrets);
    expect(issueAt(err, "swapCredentials").problem).toBe(
      `the key "User:orders" is not usable as a principal in the Gateway's File secret store: it becomes a Kubernetes Secret key (letters, digits, '-', '_' and '.')`,
    );
    expect(err.message).not.toContain("s3cr3t-x");
  });

  it("accepts swapCredentials as a secret and keeps the map secret", async () => {
    const cfg = check(validPlain(), validSecrets());
    expect(cfg.groups[1].principals).toEqual(["orders-service"]);
    await expect(resolved(cfg.gateway.swapCredentials!)).resolves.toEqual({
      value: { "orders-service": "ORDERSKEY/orders-api-secret" },
      secret: true,
    });
  });
});

describe("group principals", () => {
  it("refuses principals on a passthrough group", () => {
    const plain = validPlain();
    groups(plain)[0].principals = ["payments-svc"];
    const issue = issueAt(failure(plain, validSecrets()), "groups[0].principals");
    expect(issue.problem).toBe(
      "is set, but the group's auth is passthrough: the Gateway swaps no credentials on its route",
    );
    expect(issue.fix).toBe(
      "pulumi config rm --path 'kafka-cutover:groups[0].principals' (or pulumi config set --path 'kafka-cutover:groups[0].auth' swap)",
    );
  });

  it("refuses one principal in two groups: the store maps a principal to one credential", () => {
    const plain = validPlain();
    groups(plain)[0].auth = "swap";
    groups(plain)[0].principals = ["orders-service"];
    const issue = issueAt(failure(plain, validSecrets()), "groups[1].principals[0]");
    expect(issue.problem).toContain('principal "orders-service" is already in groups[0]');
  });

  it("refuses a principal that is not a Kubernetes Secret key", () => {
    const plain = validPlain();
    groups(plain)[1].principals = ["CN=orders,O=acme"];
    const issue = issueAt(failure(plain, validSecrets()), "groups[1].principals[0]");
    expect(issue.problem).toContain("becomes a Kubernetes Secret key");
    expect(issue.fix).toBe("pulumi config set --path 'kafka-cutover:groups[1].principals[0]' orders-service");
  });
});

describe("swap credentials in create mode", () => {
  it("needs no swapCredentials: a swap group's principals sign in with the key the stack creates", () => {
    const cfg = check(createMode(), CREATE_SECRETS);
    expect(cfg.gateway.swapCredentials).toBeUndefined();
    expect(cfg.groups.map((g) => [g.name, g.auth, g.principals])).toEqual([
      ["payments", "passthrough", []],
      ["orders", "swap", ["orders-service"]],
    ]);
  });

  it("requires the principals of each swap group", () => {
    const plain = createMode();
    delete groups(plain)[1].principals;
    const issue = issueAt(failure(plain, CREATE_SECRETS), "groups[1].principals");
    expect(issue.problem).toBe(
      "is not set, but orders uses auth: swap and its clients sign in to the destination with the API key this stack creates for the group: list the principals they sign in to the Gateway as (SCRAM or PLAIN usernames, or the names principalMappingRules give their certificates)",
    );
    expect(issue.fix).toBe("pulumi config set --path 'kafka-cutover:groups[1].principals[0]' <client principal>");
  });

  it("refuses swapCredentials, which would be ignored", () => {
    const err = failure(createMode(), { ...CREATE_SECRETS, swapCredentials: validSecrets().swapCredentials });
    const issue = issueAt(err, "swapCredentials");
    expect(issue.problem).toContain("is set, but destination.mode is create");
    expect(issue.fix).toBe("pulumi config rm kafka-cutover:swapCredentials");
    expect(err.message).not.toContain("orders-api-secret");
  });
});

describe("OAUTHBEARER out", () => {
  it("reads the client id and secret as secrets and the token endpoint and identity pool as config", async () => {
    const cfg = check(oauth(), OAUTH_SECRETS);
    expect(cfg.gateway.swap).toMatchObject({
      clusterAuthentication: "oauth",
      tokenEndpointUri: "https://idp.example.com/oauth2/token",
      identityPoolId: "pool-Ab12",
    });
    expect(cfg.gateway.swapCredentials).toBeUndefined();
    await expect(resolved(cfg.gateway.oauthClient!.clientId)).resolves.toEqual({ value: "0oa1gateway", secret: true });
    await expect(resolved(cfg.gateway.oauthClient!.clientSecret)).resolves.toEqual({
      value: "s3cr3t-oauth-client-secret",
      secret: true,
    });
  });

  it("works in create mode too, with each swap group's principals", () => {
    const cfg = check(oauth(createMode()), withoutKeys(OAUTH_SECRETS, "destinationApiSecret"));
    expect(cfg.groups[1].principals).toEqual(["orders-service"]);
  });

  it("requires the token endpoint", () => {
    const issue = issueAt(
      failure(oauth(validPlain(), { tokenEndpointUri: undefined }), OAUTH_SECRETS),
      "gateway.swap.tokenEndpointUri",
    );
    expect(issue.problem).toBe("is not set");
    expect(issue.fix).toBe(
      "pulumi config set --path 'kafka-cutover:gateway.swap.tokenEndpointUri' https://idp.example.com/oauth2/token",
    );
  });

  it("requires the client id and secret, each with its --secret command", () => {
    const err = failure(oauth(), withoutKeys(OAUTH_SECRETS, "swapOAuthClientId", "swapOAuthClientSecret"));
    expect(issueAt(err, "swapOAuthClientId")).toEqual({
      key: "kafka-cutover:swapOAuthClientId",
      problem: "is not set: the OAuth client id the Gateway signs swapped principals in with is required",
      fix: "pulumi config set --secret kafka-cutover:swapOAuthClientId <value>",
    });
    expect(issueAt(err, "swapOAuthClientSecret").fix).toBe(
      "pulumi config set --secret kafka-cutover:swapOAuthClientSecret <value>",
    );
  });

  it("refuses the client id and secret in plain text, without echoing them", () => {
    const err = failure(oauth(), OAUTH_SECRETS, ["swapOAuthClientId", "swapOAuthClientSecret"]);
    for (const key of ["swapOAuthClientId", "swapOAuthClientSecret"]) {
      expect(issueAt(err, key).problem).toContain("is stored in plain text");
      expect(issueAt(err, key).fix).toBe(
        `pulumi config set --secret kafka-cutover:${key} <value> (this replaces the plain-text value)`,
      );
    }
    expect(err.message).not.toContain("0oa1gateway");
    expect(err.message).not.toContain("s3cr3t-oauth-client-secret");
  });

  it("refuses the client secret written into gateway.swap, pointing at the secret key", () => {
    const err = failure(oauth(validPlain(), { clientSecret: "s3cr3t-in-yaml" }), OAUTH_SECRETS);
    expect(issueAt(err, "gateway.swap.clientSecret").fix).toBe(
      "pulumi config rm --path 'kafka-cutover:gateway.swap.clientSecret' && pulumi config set --secret kafka-cutover:swapOAuthClientSecret <value>",
    );
    expect(err.message).not.toContain("s3cr3t-in-yaml");
  });

  it("refuses a client id with '/', which the File secret store would split, without echoing it", () => {
    const err = failure(oauth(), { ...OAUTH_SECRETS, swapOAuthClientId: "tenant/0oa1" });
    expect(issueAt(err, "swapOAuthClientId").problem).toContain("splits <clientId>/<clientSecret> at the first '/'");
    expect(err.message).not.toContain("tenant/0oa1");
  });

  it("refuses a malformed identity pool id", () => {
    const issue = issueAt(
      failure(oauth(validPlain(), { identityPoolId: "my-pool" }), OAUTH_SECRETS),
      "gateway.swap.identityPoolId",
    );
    expect(issue.problem).toBe('is "my-pool", which is not a Confluent Cloud identity pool id such as pool-AbC1');
  });

  it("requires the principals of each swap group, also with an existing destination", () => {
    const plain = oauth();
    delete groups(plain)[1].principals;
    expect(issueAt(failure(plain, OAUTH_SECRETS), "groups[1].principals").problem).toContain(
      "its clients sign in to the destination with the OAuth client",
    );
  });

  it("refuses swapCredentials, which would be ignored", () => {
    const err = failure(oauth(), { ...OAUTH_SECRETS, swapCredentials: validSecrets().swapCredentials });
    expect(issueAt(err, "swapCredentials").problem).toContain(
      "is set, but gateway.swap.clusterAuthentication is oauth",
    );
  });

  it("refuses OAuth settings and secrets when the Gateway signs in with PLAIN", () => {
    const plain = validPlain();
    (plain.gateway as Record<string, unknown>).swap = {
      clusterAuthentication: "plain",
      tokenEndpointUri: "https://idp.example.com/oauth2/token",
    };
    const err = failure(plain, { ...validSecrets(), swapOAuthClientSecret: "s3cr3t-unused" });
    expect(issueAt(err, "gateway.swap.tokenEndpointUri")).toEqual({
      key: "kafka-cutover:gateway.swap.tokenEndpointUri",
      problem: "is set, but clusterAuthentication is plain; only oauth uses it",
      fix: "pulumi config rm --path 'kafka-cutover:gateway.swap.tokenEndpointUri'",
    });
    // Reported once the swap section itself is sound.
    const ok = validPlain();
    const err2 = failure(ok, { ...validSecrets(), swapOAuthClientSecret: "s3cr3t-unused" });
    expect(issueAt(err2, "swapOAuthClientSecret").fix).toBe(
      "pulumi config rm kafka-cutover:swapOAuthClientSecret (or pulumi config set --path 'kafka-cutover:gateway.swap.clusterAuthentication' oauth)",
    );
    expect(err2.message).not.toContain("s3cr3t-unused");
  });
});
