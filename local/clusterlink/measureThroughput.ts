// Measures how fast the emulator copies a backlog of 1 KiB records on one partition:
//   KAFKA_CUTOVER_STATE=<state dir of a running pair> npx ts-node --transpile-only local/clusterlink/measureThroughput.ts [records]
// The link reads as the source admin here; the figure is written in README.md.
import { randomBytes } from "node:crypto";
import { Kafka } from "kafkajs";
import { ClusterLinkRestClient } from "../../clients/clusterLinkRest";
import { kafkajsConfig, kafkaPairEndpoints, resolveStateDir } from "../kafka";
import { startClusterLinkEmulator } from "./server";

async function main(): Promise<void> {
  const records = Number(process.argv[2] ?? 200_000);
  const pair = kafkaPairEndpoints({ stateDir: resolveStateDir() });
  const topic = `throughput-${Date.now().toString(36)}`;
  const source = new Kafka(kafkajsConfig(pair.source));
  const admin = source.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = source.producer();
  await producer.connect();
  const value = randomBytes(1024);
  for (let sent = 0; sent < records; sent += 500) {
    await producer.send({
      topic,
      messages: Array.from({ length: Math.min(500, records - sent) }, (_, i) => ({ key: String(sent + i), value })),
    });
  }
  await producer.disconnect();

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
  const link = `throughput-${Date.now().toString(36)}`;
  await rest.createLink(link, {
    configs: [
      { name: "bootstrap.servers", value: pair.source.bootstrap },
      { name: "security.protocol", value: "SASL_PLAINTEXT" },
      { name: "sasl.mechanism", value: "SCRAM-SHA-512" },
      {
        name: "sasl.jaas.config",
        value: `org.apache.kafka.common.security.scram.ScramLoginModule required username="${pair.source.admin.username}" password="${pair.source.admin.password}";`,
      },
    ],
  });
  const started = Date.now();
  await rest.createMirror(link, { source_topic_name: topic });
  for (;;) {
    const mirror = await rest.getMirror(link, topic);
    if (mirror.mirror_lags.every((l) => l.lag === 0)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${records} records of 1 KiB on 1 partition mirrored in ${seconds.toFixed(2)} s: ${Math.round(records / seconds)} records/s (includes mirror creation and consumer-group join)`,
  );
  await rest.failoverMirrors(link, { mirror_topic_names: [topic] });
  await rest.deleteLink(link);
  await emulator.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
