import { ConfigIssue, RawStackConfig, StackConfigError, validateStackConfig } from "../../../config";

/** Stack config as the runtime hands it to the program: objects JSON-encoded, secrets flagged by key. */
export function rawConfig(plain: Record<string, unknown>, secrets: Record<string, string> = {}): RawStackConfig {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(plain))
    values[`kafka-cutover:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  for (const [k, v] of Object.entries(secrets)) values[`kafka-cutover:${k}`] = v;
  return { values, secretKeys: new Set(Object.keys(secrets).map((k) => `kafka-cutover:${k}`)) };
}

/** A complete, valid existing-mode config; tests break one thing at a time. */
export function validPlain(): Record<string, unknown> {
  return {
    source: {
      bootstrap: "b-1.msk.example:9096,b-2.msk.example:9096",
      auth: { mechanism: "SCRAM-SHA-512", username: "cutover" },
    },
    destination: {
      mode: "existing",
      clusterId: "lkc-abc123",
      bootstrap: "pkc-xyz.us-east-1.aws.confluent.cloud:9092",
      restEndpoint: "https://pkc-xyz.us-east-1.aws.confluent.cloud:443",
      apiKey: "KEY123",
    },
    link: { name: "msk-to-cc" },
    gateway: {
      namespace: "confluent",
      name: "migration-gateway",
      sourceDomain: "msk",
      destinationDomain: "confluent-cloud",
      scramRegistrationEndpoint: "scram-registration.gw.example:9599",
    },
    groups: [
      {
        name: "payments",
        topics: ["payments.transactions", "payments.events"],
        consumerGroups: ["payments-ledger"],
        endpoint: "payments.gw.example:9092",
      },
      {
        name: "orders",
        topics: ["orders"],
        endpoint: "orders.gw.example:9092",
        auth: "swap",
        principals: ["orders-service"],
        cutover: true,
      },
    ],
  };
}

/** A create-mode `destination` (PrivateLink unless `networking` says otherwise); tests change one part of it. */
export function createDestination(
  cluster: Record<string, unknown> = {},
  networking: Record<string, unknown> = { type: "privatelink", vpcId: "vpc-0abc", subnetIds: ["subnet-1"] },
): Record<string, unknown> {
  return {
    mode: "create",
    environmentName: "mig",
    region: "us-east-1",
    cluster: { name: "c", ...cluster },
    networking,
  };
}

export function validSecrets(): Record<string, string> {
  return {
    sourcePassword: "scram-password",
    destinationApiSecret: "api-secret",
    kubeconfig: "apiVersion: v1\nkind: Config\n",
    swapCredentials: JSON.stringify({ "orders-service": "ORDERSKEY/orders-api-secret" }),
  };
}

/** Runs validation expecting failure and returns the issues it named. */
export function issuesOf(
  plain: Record<string, unknown>,
  secrets: Record<string, string> = validSecrets(),
): ConfigIssue[] {
  try {
    validateStackConfig(rawConfig(plain, secrets));
  } catch (e) {
    if (e instanceof StackConfigError) return [...e.issues];
    throw e;
  }
  throw new Error("expected the config to be rejected, but it was accepted");
}

/** The issue reported for `key`; throws listing what was reported if there is none. */
export function issueAt(issues: ConfigIssue[], key: string): ConfigIssue {
  const found = issues.find((i) => i.key === key);
  if (!found) throw new Error(`no issue for ${key}; got: ${issues.map((i) => `${i.key}: ${i.problem}`).join("; ")}`);
  return found;
}
