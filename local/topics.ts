/**
 * The source topics of the groups the local stack config declares (Pulumi.local.yaml unless
 * KAFKA_CUTOVER_STACK_CONFIG names another), as they would already exist on MSK: created on the local source
 * cluster (3 partitions each) so the local stack's cluster link has something to mirror.
 */
import * as fs from "fs";
import { Kafka } from "kafkajs";
import YAML from "yaml";
import { kafkajsConfig } from "./kafka";
import type { KafkaPairEndpoints } from "./kafka";
import { localStackConfigPath } from "./stackConfigPath";

export const LOCAL_TOPIC_PARTITIONS = 3;

export interface LocalStackGroup {
  readonly name: string;
  readonly topics: string[];
  readonly consumerGroups: string[];
  /** The canary's topic on the destination and who it signs in to the route as, if the group has one. */
  readonly canary?: { readonly topic: string; readonly username: string };
}

/** The groups Pulumi.local.yaml declares: names, topics, consumer groups and canaries. */
export function localStackGroups(): LocalStackGroup[] {
  const doc = YAML.parse(fs.readFileSync(localStackConfigPath(), "utf8")) as {
    config: Record<string, unknown>;
  };
  return (doc.config["kafka-cutover:groups"] as (LocalStackGroup & { consumerGroups?: string[] })[]).map((g) => ({
    name: g.name,
    topics: g.topics,
    consumerGroups: g.consumerGroups ?? [],
    ...(g.canary ? { canary: { topic: g.canary.topic, username: g.canary.username } } : {}),
  }));
}

/** The Gateway CR Pulumi.local.yaml declares: its namespace (the local Kubernetes API serves it) and name. */
export function localStackGateway(): { namespace: string; name: string } {
  const doc = YAML.parse(fs.readFileSync(localStackConfigPath(), "utf8")) as {
    config: Record<string, { namespace?: string; name?: string }>;
  };
  const gateway = doc.config["kafka-cutover:gateway"];
  return { namespace: gateway?.namespace ?? "default", name: gateway?.name ?? "gateway" };
}

/** Every topic of every group in Pulumi.local.yaml. */
export function localStackTopics(): string[] {
  return localStackGroups().flatMap((g) => g.topics);
}

/** Creates the topics that do not exist yet; returns the names it created. */
export async function ensureSourceTopics(pair: KafkaPairEndpoints, topics: readonly string[]): Promise<string[]> {
  const admin = new Kafka(kafkajsConfig(pair.source, pair.source.admin)).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: LOCAL_TOPIC_PARTITIONS, replicationFactor: 1 })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}
