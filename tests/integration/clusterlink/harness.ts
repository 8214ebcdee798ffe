// Shared set-up for the cluster-link tests: the Kafka pair (the run's shared one when
// KAFKA_CUTOVER_ENDPOINTS is set, otherwise a private one), a private in-process emulator, a SCRAM link
// principal with the ACLs a real cluster link needs, and a REST client.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from "kafkajs";
import { ClusterLinkRestClient, fastRetryPolicy } from "../../../clients/clusterLinkRest";
import { startClusterLinkEmulator, type ClusterLinkEmulator } from "../../../local/clusterlink";
import type { Exchange } from "../../../local/clusterlink/api/conformance";
import { clusterLayout } from "../../../local/kafka/config";
import {
  createScramUser,
  kafkaPairEndpoints,
  startKafkaPair,
  stopKafkaPair,
  type KafkaPairEndpoints,
} from "../../../local/kafka";
import { uniqueName } from "../helpers";
import { client } from "../helpers/kafka";

export interface Harness {
  endpoints: KafkaPairEndpoints;
  stateDir: string;
  emulator: ClusterLinkEmulator;
  rest: ClusterLinkRestClient;
  /** Stops the emulator and starts a new one on the same state dir (and port), as a daemon restart would. */
  restartEmulator(whileStopped?: () => Promise<void>): Promise<void>;
  linkUser: { username: string; password: string };
  /** Link create body for the link user (destination-initiated, SCRAM-SHA-512). */
  linkConfigs(extra?: Record<string, string>, password?: string): { name: string; value: string }[];
  close(): Promise<void>;
}

function allow(
  principal: string,
  resourceType: AclResourceTypes,
  name: string,
  pattern: ResourcePatternTypes,
  operation: AclOperationTypes,
): AclEntry {
  return {
    resourceType,
    resourceName: name,
    resourcePatternType: pattern,
    principal,
    host: "*",
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  };
}

export async function startHarness(
  opts: { promoteCheckMs?: number; mirrorLagRefreshMs?: number; onExchange?: (e: Exchange) => void } = {},
): Promise<Harness> {
  const shared = process.env.KAFKA_CUTOVER_ENDPOINTS && process.env.KAFKA_CUTOVER_STATE;
  const stateDir = shared
    ? (process.env.KAFKA_CUTOVER_STATE as string)
    : fs.mkdtempSync(path.join(os.tmpdir(), "clusterlink-test-"));
  if (!shared) await startKafkaPair({ stateDir });
  const endpoints = kafkaPairEndpoints({ stateDir });
  const linkUser = await createScramUser(uniqueName("link"), undefined, { stateDir });
  const principal = `User:${linkUser.username}`;
  const admin = client(endpoints.source).admin();
  await admin.connect();
  try {
    // What a real cluster link's principal needs: read topics, describe groups for offset sync; plus
    // the emulator's own source-side consumer groups (kafkajs has no group-less consumer).
    await admin.createAcls({
      acl: [
        allow(principal, AclResourceTypes.TOPIC, "*", ResourcePatternTypes.LITERAL, AclOperationTypes.READ),
        allow(principal, AclResourceTypes.TOPIC, "*", ResourcePatternTypes.LITERAL, AclOperationTypes.DESCRIBE),
        allow(principal, AclResourceTypes.GROUP, "*", ResourcePatternTypes.LITERAL, AclOperationTypes.DESCRIBE),
        allow(
          principal,
          AclResourceTypes.GROUP,
          "_cluster-link-",
          ResourcePatternTypes.PREFIXED,
          AclOperationTypes.READ,
        ),
        allow(
          principal,
          AclResourceTypes.CLUSTER,
          "kafka-cluster",
          ResourcePatternTypes.LITERAL,
          AclOperationTypes.DESCRIBE,
        ),
      ],
    });
  } finally {
    await admin.disconnect();
  }
  // Private emulator state (links of other test files must not resume here).
  const emulatorState = fs.mkdtempSync(path.join(os.tmpdir(), "clusterlink-emulator-"));
  const emulatorOptions = {
    stateDir: emulatorState,
    source: { bootstrap: endpoints.source.bootstrap },
    destination: {
      bootstrap: endpoints.destination.bootstrap,
      apiKey: endpoints.destination.apiKey,
      apiSecret: endpoints.destination.apiSecret,
      apiKeysDir: clusterLayout(path.join(stateDir, "kafka"), "destination").apiKeysDir,
    },
    promoteCheckMs: opts.promoteCheckMs ?? 200,
    healthCheckMs: 2_000,
    ...(opts.mirrorLagRefreshMs !== undefined ? { mirrorLagRefreshMs: opts.mirrorLagRefreshMs } : {}),
    ...(opts.onExchange ? { onExchange: opts.onExchange } : {}),
  };
  let emulator = await startClusterLinkEmulator(emulatorOptions);
  const rest = new ClusterLinkRestClient({
    restEndpoint: emulator.url,
    clusterId: emulator.clusterId,
    apiKey: endpoints.destination.apiKey,
    apiSecret: endpoints.destination.apiSecret,
    timeoutMs: 30_000,
    retry: fastRetryPolicy,
  });
  const harness: Harness = {
    endpoints,
    stateDir,
    emulator,
    rest,
    restartEmulator: async (whileStopped) => {
      const port = Number(new URL(emulator.url).port);
      await emulator.stop();
      await whileStopped?.();
      emulator = await startClusterLinkEmulator({ ...emulatorOptions, port });
      harness.emulator = emulator;
    },
    linkUser,
    linkConfigs: (extra = {}, password = linkUser.password) => [
      { name: "bootstrap.servers", value: endpoints.source.bootstrap },
      { name: "security.protocol", value: "SASL_PLAINTEXT" },
      { name: "sasl.mechanism", value: "SCRAM-SHA-512" },
      {
        name: "sasl.jaas.config",
        value: `org.apache.kafka.common.security.scram.ScramLoginModule required username="${linkUser.username}" password="${password}";`,
      },
      ...Object.entries(extra).map(([name, value]) => ({ name, value })),
    ],
    close: async () => {
      await emulator.stop();
      fs.rmSync(emulatorState, { recursive: true, force: true });
      if (!shared) {
        await stopKafkaPair({ stateDir });
        fs.rmSync(stateDir, { recursive: true, force: true });
      }
    },
  };
  return harness;
}
