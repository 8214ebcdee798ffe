/**
 * The settings of the fence (its error code, how long it is verified) and of the Gateway's pods (how many,
 * hot reload): defaults, and every bad value named with its key and the command that fixes it.
 */
import { validateStackConfig } from "../../../config";
import { DEFAULT_FENCE_ERROR_CODE } from "../../../components/gatewaySpec";
import { issueAt, issuesOf, rawConfig, validPlain, validSecrets } from "./rawConfig";

type Obj = Record<string, unknown>;
const group = (plain: Obj, i: number): Obj => (plain.groups as Obj[])[i];

it("defaultsToTheOneFenceErrorCodeAFiveSecondVerificationAndThreeHotReloadingPods", () => {
  const cfg = validateStackConfig(rawConfig(validPlain(), validSecrets()));
  expect(cfg.groups[0].fence).toEqual({ errorCode: DEFAULT_FENCE_ERROR_CODE });
  expect(DEFAULT_FENCE_ERROR_CODE).toBe("COORDINATOR_NOT_AVAILABLE");
  expect(cfg.groups[0].timeouts.fenceVerifyMs).toBe(5_000);
  expect(cfg.gateway.replicas).toBe(3);
  expect(cfg.gateway.hotReload).toBe(true);
});

it("takesAGroupsFenceErrorCodeAndVerificationWindow", () => {
  const plain = validPlain();
  group(plain, 1).fence = { errorCode: "BROKER_NOT_AVAILABLE" };
  group(plain, 1).timeouts = { fenceVerifyMs: 12_000 };
  const cfg = validateStackConfig(rawConfig(plain, validSecrets()));
  expect(cfg.groups[1].fence.errorCode).toBe("BROKER_NOT_AVAILABLE");
  expect(cfg.groups[1].timeouts).toMatchObject({ fenceVerifyMs: 12_000, fenceMs: 30_000 });
});

it("unknownFenceErrorCodeIsRefusedWithADidYouMean", () => {
  const plain = validPlain();
  group(plain, 0).fence = { errorCode: "COORDINATOR_NOT_AVAILABEL" };
  const issue = issueAt(issuesOf(plain), "kafka-cutover:groups[0].fence.errorCode");
  expect(issue.problem).toMatch(
    /^is "COORDINATOR_NOT_AVAILABEL", which is not a Kafka error name .* \(did you mean COORDINATOR_NOT_AVAILABLE\?\)$/,
  );
  expect(issue.fix).toBe(
    "pulumi config set --path 'kafka-cutover:groups[0].fence.errorCode' COORDINATOR_NOT_AVAILABLE",
  );
});

it("fenceAnsweringNoErrorIsRefused", () => {
  const plain = validPlain();
  group(plain, 0).fence = { errorCode: "NONE" };
  expect(issueAt(issuesOf(plain), "kafka-cutover:groups[0].fence.errorCode").problem).toMatch(/not a Kafka error name/);
});

it("misspeltFenceSettingIsRefused", () => {
  const plain = validPlain();
  group(plain, 0).fence = { errrorCode: "BROKER_NOT_AVAILABLE" };
  expect(issueAt(issuesOf(plain), "kafka-cutover:groups[0].fence.errrorCode").problem).toMatch(
    /did you mean errorCode\?/,
  );
});

it.each([
  [500, "between 1000 and 600000"],
  [600_001, "between 1000 and 600000"],
  ["soon", "whole number"],
])("fenceVerifyMs %p is refused naming its range", (value, want) => {
  const plain = validPlain();
  group(plain, 0).timeouts = { fenceVerifyMs: value };
  const issue = issueAt(issuesOf(plain), "kafka-cutover:groups[0].timeouts.fenceVerifyMs");
  expect(issue.problem).toContain(want);
  expect(issue.fix).toBe("pulumi config set --path 'kafka-cutover:groups[0].timeouts.fenceVerifyMs' 5000");
});

it.each([0, 2.5, "three"])("gateway.replicas %p is refused", (replicas) => {
  const plain = validPlain();
  plain.gateway = { ...(plain.gateway as Obj), replicas };
  const issue = issueAt(issuesOf(plain), "kafka-cutover:gateway.replicas");
  expect(issue.problem).toMatch(/must be a whole number between 1 and 100 \(Gateway pods\)/);
});

it("takesGatewayReplicasAndHotReload", () => {
  const plain = validPlain();
  plain.gateway = { ...(plain.gateway as Obj), replicas: 2, hotReload: false };
  const cfg = validateStackConfig(rawConfig(plain, validSecrets()));
  expect([cfg.gateway.replicas, cfg.gateway.hotReload]).toEqual([2, false]);
});

it("gateway.hotReload that is not a boolean is refused", () => {
  const plain = validPlain();
  plain.gateway = { ...(plain.gateway as Obj), hotReload: "yes" };
  expect(issueAt(issuesOf(plain), "kafka-cutover:gateway.hotReload").problem).toBe(
    'is "yes", but must be true or false',
  );
});
