/** One discovery run: sign in, read the cluster (read-only), group its topics, build the proposal. */
import type { KafkaAccess } from "../../dynamic/cutover/inputs";
import { kafkaFor } from "../../dynamic/cutover/offsets";
import { KAFKA_LEGS, withTlsAdvice } from "../../clients/tls";
import { compareWithConfigured, type ConfiguredGroup, type Finding } from "./compare";
import { proposeGroups, type Grouping } from "./grouping";
import { findTransactionalProducers } from "../../dynamic/cutover/transactionalProducers";
import { readInventory, type Inventory } from "./inventory";
import { buildProposal, renderProposal, type Proposal, type ProposalOptions } from "./proposal";
import { renderReport } from "./report";

export interface DiscoverOptions extends ProposalOptions {
  readonly topicFilter?: RegExp;
  readonly ignorePrincipals?: readonly string[];
  readonly configuredGroups?: readonly ConfiguredGroup[];
}

export interface Discovery {
  readonly inventory: Inventory;
  readonly grouping: Grouping;
  readonly proposal: Proposal;
  readonly findings: readonly Finding[];
  readonly report: string;
  /** The `kafka-cutover:groups` section as YAML, to paste under `config:`. */
  readonly yaml: string;
}

export async function discover(access: KafkaAccess, opts: DiscoverOptions = {}): Promise<Discovery> {
  const kafka = kafkaFor(access, "kafka-cutover-discover");
  const admin = kafka.admin();
  await admin.connect().catch((err: unknown) => {
    throw withTlsAdvice(KAFKA_LEGS.source, err);
  });
  let inventory: Inventory;
  try {
    inventory = await readInventory(admin, {
      ...(opts.topicFilter ? { topicFilter: opts.topicFilter } : {}),
      describeProducers: (topics) => findTransactionalProducers(kafka, topics),
    });
  } finally {
    await admin.disconnect();
  }
  const grouping = proposeGroups(inventory, {
    selfPrincipal: access.username,
    ...(opts.ignorePrincipals ? { ignorePrincipals: opts.ignorePrincipals } : {}),
  });
  const proposal = buildProposal(grouping.groups, opts);
  const findings = compareWithConfigured(inventory, grouping, opts.configuredGroups ?? []);
  const report = renderReport(inventory, grouping, proposal, findings);
  const yaml = renderProposal(proposal, [
    `kafka-cutover:groups proposed by npm run discover from cluster ${inventory.clusterId}${opts.topicFilter ? ` (topics matching ${opts.topicFilter.source})` : ""}.`,
    "Paste under `config:` in Pulumi.<stack>.yaml; set each endpoint to its Gateway route and read the BLOCKER lines first.",
  ]);
  return { inventory, grouping, proposal, findings, report, yaml };
}
