// Measures one consumer offset sync cycle of a link for G groups with committed offsets on every
// partition of a P-partition mirrored topic:
//   KAFKA_CUTOVER_STATE=<state dir of a running pair> npx ts-node --transpile-only local/clusterlink/measureOffsetSync.ts [groups=10] [partitions=100]
// Cycles are run directly (the link's own interval is set to 10 min so it does not interfere); the first
// cycle is cold (coordinator look-ups, metadata), then 20 more are timed. The link reads as the source
// admin; the group filter selects only this run's groups, but the cycle still lists every source group.
// The figure is written in README.md.
import { Kafka } from "kafkajs";
import { ClusterLinkRestClient } from "../../clients/clusterLinkRest";
import { kafkajsConfig, kafkaPairEndpoints, resolveStateDir } from "../kafka";
import { StandaloneOffsetCommitter } from "./offsetCommit";
import { startClusterLinkEmulator } from "./server";

async function main(): Promise<void> {
  const groupCount = Number(process.argv[2] ?? 10);
  const partitions = Number(process.argv[3] ?? 100);
  const pair = kafkaPairEndpoints({ stateDir: resolveStateDir() });
  const run = `osync-${Date.now().toString(36)}`;
  const topic = `${run}-topic`;
  const groups = Array.from({ length: groupCount }, (_, i) => `${run}-group-${i}`);

  const source = new Kafka(kafkajsConfig(pair.source));
  const admin = source.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const producer = source.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: partitions * 10 }, (_, i) => ({ partition: i % partitions, value: `r${i}` })),
  });
  await producer.disconnect();
  const committer = new StandaloneOffsetCommitter(source);
  await committer.connect();
  for (const [g, group] of groups.entries()) {
    await committer.commit(group, [
      {
        topic,
        partitions: Array.from({ length: partitions }, (_, p) => ({
          partition: p,
          offset: String(1 + ((p + g) % 10)),
        })),
      },
    ]);
  }
  await committer.disconnect();

  const emulator = await startClusterLinkEmulator({
    destination: {
      bootstrap: pair.destination.bootstrap,
      apiKey: pair.destination.apiKey,
      apiSecret: pair.destination.apiSecret,
    },
    // Exact lags: a trailing figure would add up to a refresh interval to the time measured.
    mirrorLagRefreshMs: 0,
  });
  const rest = new ClusterLinkRestClient({
    restEndpoint: emulator.url,
    clusterId: emulator.clusterId,
    apiKey: pair.destination.apiKey,
    apiSecret: pair.destination.apiSecret,
  });
  const link = run;
  await rest.createLink(link, {
    configs: [
      { name: "bootstrap.servers", value: pair.source.bootstrap },
      { name: "security.protocol", value: "SASL_PLAINTEXT" },
      { name: "sasl.mechanism", value: "SCRAM-SHA-512" },
      {
        name: "sasl.jaas.config",
        value: `org.apache.kafka.common.security.scram.ScramLoginModule required username="${pair.source.admin.username}" password="${pair.source.admin.password}";`,
      },
      { name: "consumer.offset.sync.enable", value: "true" },
      { name: "consumer.offset.sync.ms", value: "600000" },
      {
        name: "consumer.offset.group.filters",
        value: JSON.stringify({
          groupFilters: [{ name: `${run}-group-`, patternType: "PREFIXED", filterType: "INCLUDE" }],
        }),
      },
    ],
  });
  await rest.createMirror(link, { source_topic_name: topic });
  for (;;) {
    const mirror = await rest.getMirror(link, topic);
    if (mirror.mirror_lags.every((l) => l.lag === 0)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const runtime = emulator.link(link);
  if (!runtime) throw new Error("link not found");
  const cycle = async (): Promise<number> => {
    const r = await runtime.syncOffsets({ startedAfterMs: Date.now() });
    if (r.synced.length !== groupCount || r.partitions !== groupCount * partitions || r.errors.length > 0) {
      throw new Error(
        `unexpected cycle: ${JSON.stringify({ synced: r.synced.length, partitions: r.partitions, errors: r.errors })}`,
      );
    }
    return r.completedMs - r.startedMs;
  };
  const cold = await cycle();
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) warm.push(await cycle());
  warm.sort((a, b) => a - b);
  const sourceAdmin = source.admin();
  await sourceAdmin.connect();
  const { groups: allGroups } = await sourceAdmin.listGroups();
  await sourceAdmin.disconnect();
  const destination = new Kafka(kafkajsConfig(pair.destination)).admin();
  await destination.connect();
  const [onDestination] = await destination.fetchOffsets({ groupId: groups[3], topics: [topic] });
  const expected = Array.from({ length: partitions }, (_, p) => String(1 + ((p + 3) % 10)));
  const actual = [...onDestination.partitions].sort((a, b) => a.partition - b.partition).map((p) => p.offset);
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new Error(`destination offsets differ for ${groups[3]}`);
  const [described] = (await destination.describeGroups([groups[3]])).groups;
  await destination.disconnect();
  console.log(
    `${groupCount} groups × ${partitions} partitions (${groupCount * partitions} offsets) per cycle; ` +
      `cold ${cold} ms, warm median ${warm[Math.floor(warm.length / 2)]} ms, max ${warm[warm.length - 1]} ms (20 cycles); ` +
      `destination group state ${described?.state} with ${described?.members.length} member(s); ` +
      `the cycle lists all ${allGroups.length} groups on the source`,
  );
  await rest.failoverMirrors(link, { mirror_topic_names: [topic] });
  await rest.deleteLink(link);
  await emulator.stop();
  // Leave no groups behind: every later cycle on this pair would list them.
  for (const kafka of [source, new Kafka(kafkajsConfig(pair.destination))]) {
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteGroups(groups).catch(() => undefined);
    await cleanup.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await cleanup.disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
