import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Kafka } from "kafkajs";
import { kafkajsConfig, startKafkaPair, stopKafkaPair, type KafkaPairEndpoints } from "../../../../local/kafka";
import { freePortBlocks } from "../../../../local/kafka/ports";

export interface PairHandle {
  endpoints: KafkaPairEndpoints;
  stateDir: string;
  stop(): Promise<void>;
}

/** The pair globalSetup started (KAFKA_CUTOVER_ENDPOINTS), or a private one in a temp state dir. */
export async function kafkaPair(): Promise<PairHandle> {
  const file = process.env.KAFKA_CUTOVER_ENDPOINTS;
  if (file && fs.existsSync(file)) {
    return {
      endpoints: JSON.parse(fs.readFileSync(file, "utf8")) as KafkaPairEndpoints,
      stateDir: process.env.KAFKA_CUTOVER_STATE ?? path.dirname(file),
      stop: async () => undefined,
    };
  }
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-test-"));
  const status = await startKafkaPair({ stateDir });
  return {
    endpoints: { source: status.source, destination: status.destination },
    stateDir,
    stop: async () => {
      await stopKafkaPair({ stateDir });
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** A run of `count` consecutive free ports (a route needs its bootstrap port plus one per node id). */
export async function freePortBlock(count: number): Promise<number> {
  const [start] = await freePortBlocks(1, count);
  return start;
}

/** The sum of a topic's log-end offsets on the source cluster, read straight from it (not through a route). */
export async function sourceEndOffset(pair: PairHandle, topic: string): Promise<number> {
  const admin = new Kafka(kafkajsConfig(pair.endpoints.source)).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}
