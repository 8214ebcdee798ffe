// Daemon entry point (`ts-node --transpile-only local/clusterlink/main.ts`), started by
// startClusterLinkDaemon. Environment: KAFKA_CUTOVER_STATE, KAFKA_CUTOVER_CLUSTERLINK_PORT,
// KAFKA_CUTOVER_CLUSTERLINK_KAFKA_STATE (the Kafka pair's state dir when it is not KAFKA_CUTOVER_STATE).
import * as fs from "node:fs";
import * as path from "node:path";
import { clusterLayout } from "../kafka/config";
import { kafkaPairEndpoints, resolveStateDir } from "../kafka";
import { daemonEndpointFile, daemonPidFile, type DaemonInfo } from "./daemon";
import { startClusterLinkEmulator } from "./server";

async function main(): Promise<void> {
  const stateDir = resolveStateDir();
  const kafkaStateDir = process.env.KAFKA_CUTOVER_CLUSTERLINK_KAFKA_STATE ?? stateDir;
  const pair = kafkaPairEndpoints({ stateDir: kafkaStateDir });
  const port = process.env.KAFKA_CUTOVER_CLUSTERLINK_PORT;
  const emulator = await startClusterLinkEmulator({
    stateDir,
    clusterId: pair.destination.clusterId,
    ...(port ? { port: Number(port) } : {}),
    source: { bootstrap: pair.source.bootstrap },
    destination: {
      bootstrap: pair.destination.bootstrap,
      apiKey: pair.destination.apiKey,
      apiSecret: pair.destination.apiSecret,
      apiKeysDir: clusterLayout(path.join(kafkaStateDir, "kafka"), "destination").apiKeysDir,
    },
  });
  const info: DaemonInfo = { pid: process.pid, url: emulator.url, clusterId: emulator.clusterId };
  fs.writeFileSync(daemonPidFile(stateDir), `${process.pid}\n`);
  const file = daemonEndpointFile(stateDir);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(info, null, 2), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  console.log(`cluster-link emulator for ${emulator.clusterId} on ${emulator.url} (pid ${process.pid})`);
  const shutdown = (): void => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
