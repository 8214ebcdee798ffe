import * as path from "node:path";
import { ensureKafkaRuntime } from "../../kafka/runtime";
import { loadMessageSpecs, type MessageSpecs } from "./specs";

/** The message specs of the Kafka version `local/kafka/` runs, from its kafka-clients jar (cached under the state dir). */
export async function kafkaMessageSpecs(stateDir: string): Promise<MessageSpecs> {
  const runtime = await ensureKafkaRuntime();
  return loadMessageSpecs({
    jar: path.join(runtime.libsDir, `kafka-clients-${runtime.version}.jar`),
    cacheDir: path.join(stateDir, "gateway", "specs"),
  });
}
