import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { startKafkaPair, stopKafkaPair, type KafkaPairEndpoints } from "../../../../local/kafka";

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

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A run of `count` consecutive free ports (a route needs its bootstrap port plus one per node id). */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    let free = true;
    for (let p = base; p < base + count && free; p++) free = await canListen(p);
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
