/**
 * `link.prefix` names every mirror `<prefix><topic>`, but each group is cut over through its Gateway route,
 * which passes topic names through unchanged: after the switch the group's clients would ask the destination
 * for topics that are not there. The config is refused before anything is declared.
 */
import { validateStackConfig } from "../../../config";
import { issueAt, issuesOf, rawConfig, validPlain, validSecrets } from "./rawConfig";

describe("link.prefix with groups cut over through the Gateway", () => {
  it("refusesLinkPrefixBecauseTheRouteKeepsTopicNamesNamingTheGroupsAndTheFix", () => {
    const plain = validPlain();
    plain.link = { name: "msk-to-cc", prefix: "msk." };
    const issue = issueAt(issuesOf(plain), "kafka-cutover:link.prefix");
    expect(issue.problem).toBe(
      `is "msk.", so the link would name each mirror <prefix><topic> (payments.transactions → msk.payments.transactions), but every group (payments, orders) is cut over through its Gateway route, which does not rename topics: after the switch their clients would ask the destination for payments.transactions, which would not exist there`,
    );
    expect(issue.fix).toBe(
      "pulumi config rm --path 'kafka-cutover:link.prefix' (the prefix is fixed when the link is created: a link that already has one is replaced)",
    );
  });

  it("acceptsTheLinkWithoutAPrefixSoMirrorsKeepTheTopicsNames", () => {
    expect(validateStackConfig(rawConfig(validPlain(), validSecrets())).link).not.toHaveProperty("prefix");
  });
});
