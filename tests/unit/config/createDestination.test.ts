/**
 * Validation of create mode's networking keys and of the MSK source location: every error names the key,
 * the problem and the `pulumi config set`/`rm` that fixes it. Pulumi.dev.yaml, the operator's starting
 * point, must itself validate.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { validateStackConfig } from "../../../config";
import { createDestination, issueAt, issuesOf as issuesWith, rawConfig, validPlain, validSecrets } from "./rawConfig";

const SECRETS = { sourcePassword: "p", kubeconfig: "k" };
const issuesOf = (plain: Record<string, unknown>) => issuesWith(plain, SECRETS);
const NP = "kafka-cutover:destination.networking";

function withNetworking(networking: Record<string, unknown>, zones?: unknown): Record<string, unknown> {
  return {
    ...validPlain(),
    destination: createDestination(zones ? { zones } : {}, networking),
  };
}

const pl = { type: "privatelink", vpcId: "vpc-0abc", subnetIds: ["subnet-1"] };
const tgw = {
  type: "transitgateway",
  vpcId: "vpc-0abc",
  subnetIds: ["subnet-1"],
  cidr: "10.20.0.0/16",
  routeTableIds: ["rtb-1"],
  transitGatewayId: "tgw-0a1b2c3d4e5f60718",
};

describe("create-mode networking config", () => {
  it("accepts each type with its keys", () => {
    const cfg = validateStackConfig(rawConfig(withNetworking({ ...pl, awsAccountId: "012345678901" }), SECRETS));
    expect(cfg.destination).toMatchObject({ networking: { type: "privatelink", awsAccountId: "012345678901" } });
    const t = validateStackConfig(rawConfig(withNetworking(tgw), SECRETS));
    expect(t.destination).toMatchObject({
      networking: {
        type: "transitgateway",
        transitGatewayId: "tgw-0a1b2c3d4e5f60718",
        cidr: "10.20.0.0/16",
        routeTableIds: ["rtb-1"],
      },
    });
  });

  it("accepts an account id YAML read as a 12-digit number", () => {
    const cfg = validateStackConfig(rawConfig(withNetworking({ ...pl, awsAccountId: 123456789012 }), SECRETS));
    expect(cfg.destination).toMatchObject({ networking: { awsAccountId: "123456789012" } });
  });

  it.each([
    ["too short", "12345", 'is "12345", which is not a 12-digit AWS account id'],
    ["an ARN", "arn:aws:iam::123456789012:root", "which is not a 12-digit AWS account id"],
    ["a number that lost its leading zero", 12345678901, "if it starts with 0, quote it in the YAML"],
  ])("rejects an awsAccountId that is %s", (_why, awsAccountId, problem) => {
    const issue = issueAt(issuesOf(withNetworking({ ...pl, awsAccountId })), `${NP}.awsAccountId`);
    expect(issue.problem).toContain(problem);
    expect(issue.fix).toBe(`pulumi config set --path '${NP}.awsAccountId' 123456789012`);
  });

  it("requires transitGatewayId for transitgateway and checks its form", () => {
    const { transitGatewayId: _omit, ...noTgw } = tgw;
    const missing = issueAt(issuesOf(withNetworking(noTgw)), `${NP}.transitGatewayId`);
    expect(missing.problem).toBe(
      "is required for transitgateway: the transit gateway the program shares with Confluent through AWS RAM",
    );
    expect(missing.fix).toBe(`pulumi config set --path '${NP}.transitGatewayId' tgw-0123456789abcdef0`);
    const bad = issueAt(issuesOf(withNetworking({ ...tgw, transitGatewayId: "vpc-0abc" })), `${NP}.transitGatewayId`);
    expect(bad.problem).toBe('is "vpc-0abc", which is not a transit gateway id such as tgw-0123456789abcdef0');
  });

  it("refuses keys the chosen type does not use, instead of ignoring them", () => {
    const issues = issuesOf(withNetworking({ ...pl, transitGatewayId: "tgw-0a1b2c3d4e5f60718", cidr: "10.10.0.0/16" }));
    expect(issueAt(issues, `${NP}.transitGatewayId`)).toEqual({
      key: `${NP}.transitGatewayId`,
      problem: "is set, but networking.type privatelink does not use it (only transitgateway do)",
      fix: `pulumi config rm --path '${NP}.transitGatewayId'`,
    });
    expect(issueAt(issues, `${NP}.cidr`).problem).toBe(
      "is set, but networking.type privatelink does not use it (only peering and transitgateway do)",
    );
    expect(issueAt(issuesOf(withNetworking({ ...tgw, awsAccountId: "123456789012" })), `${NP}.awsAccountId`).fix).toBe(
      `pulumi config rm --path '${NP}.awsAccountId'`,
    );
  });

  it("requires a /16 for the Confluent network and route tables for peering", () => {
    const issues = issuesOf(
      withNetworking({ type: "peering", vpcId: "vpc-0abc", subnetIds: ["subnet-1"], cidr: "10.10.0.0/24" }),
    );
    expect(issueAt(issues, `${NP}.cidr`).problem).toContain('is "10.10.0.0/24", which is not a /16 CIDR block');
    expect(issueAt(issues, `${NP}.routeTableIds`).problem).toBe(
      "is empty: peering needs the route tables that get a route to Confluent",
    );
  });

  it("wants zones as AZ ids, not names", () => {
    const issue = issueAt(issuesOf(withNetworking(pl, ["us-east-1a"])), "kafka-cutover:destination.cluster.zones[0]");
    expect(issue.problem).toContain("is not an AWS availability-zone id such as use1-az1");
    expect(issue.fix).toBe("pulumi config set --path 'kafka-cutover:destination.cluster.zones[0]' use1-az1");
  });
});

describe("source location config", () => {
  const msk = (extra: Record<string, unknown>) => ({
    ...validPlain(),
    source: { mskClusterName: "orders-prod", auth: { mechanism: "SCRAM-SHA-512", username: "u" }, ...extra },
  });

  it("reads an MSK cluster name, private endpoints by default", () => {
    expect(validateStackConfig(rawConfig(msk({}), validSecrets())).source.location).toEqual({
      kind: "msk",
      clusterName: "orders-prod",
      publicEndpoints: false,
    });
    expect(validateStackConfig(rawConfig(msk({ mskPublicEndpoints: true }), validSecrets())).source.location).toEqual({
      kind: "msk",
      clusterName: "orders-prod",
      publicEndpoints: true,
    });
  });

  it("refuses mskPublicEndpoints with a bootstrap list", () => {
    const plain = validPlain();
    plain.source = { ...(plain.source as object), mskPublicEndpoints: true };
    const issue = issueAt(issuesOf(plain), "kafka-cutover:source.mskPublicEndpoints");
    expect(issue.problem).toContain("only applies with source.mskClusterName");
    expect(issue.fix).toBe("pulumi config rm --path 'kafka-cutover:source.mskPublicEndpoints'");
  });

  it("refuses a non-SCRAM-SHA-512 mechanism for an MSK cluster read by name", () => {
    const issue = issueAt(
      issuesOf(msk({ auth: { mechanism: "PLAIN", username: "u" } })),
      "kafka-cutover:source.auth.mechanism",
    );
    expect(issue.problem).toContain("accepts only SCRAM-SHA-512");
    expect(issue.fix).toBe("pulumi config set --path 'kafka-cutover:source.auth.mechanism' SCRAM-SHA-512");
  });

  it("refuses an MSK cluster name MSK would not accept", () => {
    expect(
      issueAt(issuesOf(msk({ mskClusterName: "orders_prod" })), "kafka-cutover:source.mskClusterName").problem,
    ).toContain("is not an MSK cluster name");
  });
});

describe("Pulumi.dev.yaml", () => {
  it("is a complete, valid create-mode PrivateLink stack once its secrets are set", () => {
    const file = parse(fs.readFileSync(path.join(__dirname, "../../../Pulumi.dev.yaml"), "utf8")) as {
      config: Record<string, unknown>;
    };
    const plain = Object.fromEntries(
      Object.entries(file.config)
        .filter(([k]) => k.startsWith("kafka-cutover:"))
        .map(([k, v]) => [k.slice("kafka-cutover:".length), v]),
    );
    // The secrets its header comment lists for this setup: the usual ones, and the payments canary's password.
    const cfg = validateStackConfig(rawConfig(plain, { ...SECRETS, canaryPasswords: '{"payments": "pw"}' }));
    expect(cfg.source.location).toEqual({ kind: "msk", clusterName: "orders-prod", publicEndpoints: false });
    expect(cfg.groups[0].canary).toMatchObject({ topic: "kafka-cutover.canary", mechanism: "SCRAM-SHA-512" });
    expect(cfg.protection).toEqual({ destination: "retain", gateway: "retain", abandonGroups: [] });
    expect(cfg.destination).toMatchObject({
      mode: "create",
      cluster: { availability: "MULTI_ZONE", ckus: 2 },
      networking: { type: "privatelink", awsAccountId: "123456789012" },
    });
  });
});
