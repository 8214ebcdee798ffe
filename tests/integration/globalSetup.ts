import * as fs from "node:fs";
import * as path from "node:path";
import { Kafka } from "kafkajs";
import { startLocalEnvironmentWithReport } from "../../local/environment";
import { kafkajsConfig, type KafkaPairEndpoints } from "../../local/kafka";

/** Set for globalTeardown (same process): whether this run started the environment and must stop it. */
export interface IntegrationGlobals {
  kafkaCutoverStartedEnvironment?: { stateDir: string };
}

async function reachable(file: string): Promise<boolean> {
  let endpoints: KafkaPairEndpoints;
  try {
    endpoints = JSON.parse(fs.readFileSync(file, "utf8")) as KafkaPairEndpoints;
  } catch {
    return false;
  }
  if (!endpoints.source?.bootstrap || !endpoints.destination?.bootstrap) return false;
  const checks = [endpoints.source, endpoints.destination].map(async (endpoint) => {
    const admin = new Kafka(
      kafkajsConfig(endpoint, undefined, { connectionTimeout: 2_000, retry: { retries: 0 } }),
    ).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  });
  return (await Promise.all(checks)).every(Boolean);
}

/**
 * Starts the local environment once per jest run, unless KAFKA_CUTOVER_ENDPOINTS already names the
 * endpoints.json of a running one (e.g. started by tests/run.sh): then it is reused and left running.
 * Tests find the endpoints through KAFKA_CUTOVER_ENDPOINTS and the state dir through KAFKA_CUTOVER_STATE.
 */
export default async function globalSetup(): Promise<void> {
  const globals = globalThis as IntegrationGlobals;
  const given = process.env.KAFKA_CUTOVER_ENDPOINTS;
  if (given && (await reachable(given))) {
    process.env.KAFKA_CUTOVER_STATE ??= path.dirname(path.resolve(given));
    return;
  }
  const started = Date.now();
  const report = await startLocalEnvironmentWithReport();
  process.env.KAFKA_CUTOVER_ENDPOINTS = report.endpointsFile;
  process.env.KAFKA_CUTOVER_STATE = report.stateDir;
  // If a developer's `npm run local:up` was already running in this state dir, leave it running.
  if (!report.alreadyRunning) globals.kafkaCutoverStartedEnvironment = { stateDir: report.stateDir };
  console.log(
    `\n[integration] local environment ${report.alreadyRunning ? "already running" : "started"} in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s (${report.endpointsFile})`,
  );
}
