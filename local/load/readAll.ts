/** Reads every workload record of some topics straight from a cluster, with partition and offset. */
import { Kafka, SASLOptions, logLevel } from "kafkajs";
import type { Stored } from "./checkers";

export interface ClusterLogin {
  readonly bootstrap: string;
  readonly mechanism: "scram-sha-512" | "plain";
  readonly username: string;
  readonly password: string;
}

/** The admin logins of the local source (SCRAM user) and destination (API key), straight to each cluster. */
export function adminLogins(e: {
  readonly source: {
    readonly bootstrap: string;
    readonly admin: { readonly username: string; readonly password: string };
  };
  readonly destination: { readonly bootstrap: string; readonly apiKey: string; readonly apiSecret: string };
}): { source: ClusterLogin; destination: ClusterLogin } {
  return {
    source: {
      bootstrap: e.source.bootstrap,
      mechanism: "scram-sha-512",
      username: e.source.admin.username,
      password: e.source.admin.password,
    },
    destination: {
      bootstrap: e.destination.bootstrap,
      mechanism: "plain",
      username: e.destination.apiKey,
      password: e.destination.apiSecret,
    },
  };
}

/** kafkajs wants the mechanism narrowed to one literal per SASL variant. */
export function saslOf(login: {
  mechanism: "scram-sha-512" | "plain";
  username: string;
  password: string;
}): SASLOptions {
  return login.mechanism === "plain"
    ? { mechanism: "plain", username: login.username, password: login.password }
    : { mechanism: "scram-sha-512", username: login.username, password: login.password };
}

export async function readAll(login: ClusterLogin, topics: readonly string[]): Promise<Stored[]> {
  const kafka = new Kafka({
    clientId: "read-all",
    brokers: [login.bootstrap],
    logLevel: logLevel.NOTHING,
    sasl: saslOf(login),
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  for (const t of topics)
    for (const p of await admin.fetchTopicOffsets(t)) ends.set(`${t}/${p.partition}`, Number(p.high));
  await admin.disconnect();
  const remaining = new Set([...ends.entries()].filter(([, end]) => end > 0).map(([k]) => k));
  const out: Stored[] = [];
  if (remaining.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `read-all-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`readAll: still missing ${[...remaining].join(", ")} after 60 s`)),
      60_000,
    );
    void consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const v = JSON.parse(message.value?.toString() ?? "{}") as { producer?: string; seq?: number };
          const offset = Number(message.offset);
          if (v.producer !== undefined && v.seq !== undefined)
            out.push({ topic, partition, offset, producer: v.producer, seq: v.seq });
          if (offset + 1 >= (ends.get(`${topic}/${partition}`) ?? 0)) remaining.delete(`${topic}/${partition}`);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return out;
}

/** A consumer group's committed offsets on a cluster, keyed `topic/partition`. */
export async function committedOffsets(login: ClusterLogin, groupId: string): Promise<Map<string, number>> {
  const admin = new Kafka({
    clientId: "read-offsets",
    brokers: [login.bootstrap],
    logLevel: logLevel.NOTHING,
    sasl: saslOf(login),
  }).admin();
  await admin.connect();
  try {
    const out = new Map<string, number>();
    for (const t of await admin.fetchOffsets({ groupId }))
      for (const p of t.partitions) if (Number(p.offset) >= 0) out.set(`${t.topic}/${p.partition}`, Number(p.offset));
    return out;
  } finally {
    await admin.disconnect();
  }
}
