/**
 * `kafka-cutover:protection`: destroy keeps the destination and the Gateway unless told otherwise, and the
 * groups whose unfinished migration an operator gives up are named exactly; every bad value is named with its
 * key and the command that fixes it.
 */
import { DEFAULT_PROTECTION, validateStackConfig } from "../../../config";
import { issueAt, issuesOf, rawConfig, validPlain, validSecrets } from "./rawConfig";

it("keepsTheDestinationAndTheGatewayWhenProtectionIsNotSet", () => {
  const cfg = validateStackConfig(rawConfig(validPlain(), validSecrets()));
  expect(cfg.protection).toEqual({ destination: "retain", gateway: "retain", abandonGroups: [] });
  expect(DEFAULT_PROTECTION).toEqual(cfg.protection);
});

it("takesEachModeAndTheGroupsToAbandon", () => {
  const plain = validPlain();
  plain.protection = { destination: "protect", gateway: "delete", abandonGroups: ["payments", "payments"] };
  const cfg = validateStackConfig(rawConfig(plain, validSecrets()));
  expect(cfg.protection).toEqual({ destination: "protect", gateway: "delete", abandonGroups: ["payments"] });
});

it("fillsTheDefaultOfEachSettingLeftOut", () => {
  const plain = validPlain();
  plain.protection = { gateway: "protect" };
  const cfg = validateStackConfig(rawConfig(plain, validSecrets()));
  expect(cfg.protection).toEqual({ destination: "retain", gateway: "protect", abandonGroups: [] });
});

it("unknownModeIsRefusedListingTheModes", () => {
  const plain = validPlain();
  plain.protection = { destination: "keep" };
  const issue = issueAt(issuesOf(plain), "kafka-cutover:protection.destination");
  expect(issue.problem).toBe('is "keep", which is not one of retain, protect, delete');
  expect(issue.fix).toBe("pulumi config set --path 'kafka-cutover:protection.destination' retain");
});

it("misspeltSettingIsRefusedRatherThanLeavingTheDefault", () => {
  const plain = validPlain();
  plain.protection = { gatway: "delete" };
  const issue = issueAt(issuesOf(plain), "kafka-cutover:protection.gatway");
  expect(issue.problem).toMatch(
    /is not a known setting \(did you mean gateway\?\); known: destination, gateway, abandonGroups/,
  );
  expect(issue.fix).toBe("pulumi config rm --path 'kafka-cutover:protection.gatway'");
});

it("protectionThatIsNotAnObjectIsRefused", () => {
  const plain = validPlain();
  plain.protection = "retain";
  expect(issueAt(issuesOf(plain), "kafka-cutover:protection").problem).toMatch(/must be an object/);
});

it("abandoningAGroupThatIsNotDeclaredIsRefusedWithADidYouMean", () => {
  const plain = validPlain();
  plain.protection = { abandonGroups: ["paymnts", "inventory"] };
  const issues = issuesOf(plain);
  const typo = issueAt(issues, "kafka-cutover:protection.abandonGroups[0]");
  expect(typo.problem).toMatch(
    /^is "paymnts", which is not a group in kafka-cutover:groups \(did you mean payments\?\)/,
  );
  expect(typo.fix).toBe("pulumi config set --path 'kafka-cutover:protection.abandonGroups[0]' payments");
  const unknown = issueAt(issues, "kafka-cutover:protection.abandonGroups[1]");
  expect(unknown.problem).toMatch(
    /a group is abandoned while it is still declared, and removed from groups in a later up/,
  );
  expect(unknown.fix).toBe("pulumi config rm --path 'kafka-cutover:protection.abandonGroups[1]'");
});

it("abandoningAGroupAskedToBeCutOverIsRefused", () => {
  const plain = validPlain();
  plain.protection = { abandonGroups: ["orders"] };
  const issue = issueAt(issuesOf(plain), "kafka-cutover:protection.abandonGroups[0]");
  expect(issue.problem).toMatch(
    /^is "orders", whose cutover is true: a group being cut over or cut over has nothing to abandon/,
  );
  expect(issue.fix).toMatch(/^pulumi config rm --path 'kafka-cutover:protection.abandonGroups\[0\]'/);
});
