/**
 * The detached gateway daemon for a state dir: starts (pid file, daemon.json, health), is idempotent, serves a
 * Gateway CR created after it started, hot-reloads fence and switch, stops the routes when the CR is deleted,
 * and stops leaving no process behind.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import {
  gatewayDaemonPid,
  gatewayDaemonStatus,
  gatewayPidFile,
  startGatewayDaemon,
  stopGatewayDaemon,
  type GatewayDaemonStatus,
} from "../../../local/gateway";
import { gatewaySpec } from "./helpers/cr";
import { freePortBlock, kafkaPair, type PairHandle } from "./helpers/env";
import { applyGateway, deleteGateway, podConfigs, ready, startPrivateKubernetes, waitForStatus } from "./helpers/kube";

let pair: PairHandle;
let kube: Awaited<ReturnType<typeof startPrivateKubernetes>>;
let stateDir: string;

beforeAll(async () => {
  pair = await kafkaPair();
  kube = await startPrivateKubernetes();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-daemon-"));
});

afterAll(async () => {
  if (stateDir) {
    await stopGatewayDaemon({ stateDir });
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
  await kube?.stop();
  await pair?.stop();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of every process whose command line names this test's state dir. */
function processesOf(dir: string): number[] {
  return fs
    .readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function daemonStatusWhen(
  accept: (s: GatewayDaemonStatus) => boolean,
  timeoutMs = 20_000,
): Promise<GatewayDaemonStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await gatewayDaemonStatus({ stateDir });
    if (status && accept(status)) return status;
    if (Date.now() > deadline) throw new Error(`daemon status not as expected: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

it("serves a CR created after it starts, through fence and switch, until the CR is deleted; stop leaves no process", async () => {
  const { api } = kube;
  const daemon = await startGatewayDaemon({ stateDir, kubeconfig: api.kubeconfigPath, namespace: "default" });
  expect(daemon.alreadyRunning).toBe(false);
  expect(daemon.pid).not.toBe(process.pid);
  expect(fs.readFileSync(gatewayPidFile(stateDir), "utf8").trim()).toBe(String(daemon.pid));
  expect(gatewayDaemonPid({ stateDir })).toBe(daemon.pid);
  expect(daemon.logFile).toBe(path.join(stateDir, "gateway", "gateway.log"));
  const again = await startGatewayDaemon({ stateDir, kubeconfig: api.kubeconfigPath, namespace: "default" });
  expect(again).toEqual({ ...daemon, alreadyRunning: true });
  expect(await daemonStatusWhen((s) => s.synced)).toMatchObject({
    pid: daemon.pid,
    namespace: "default",
    routes: {},
    gateways: [],
  });

  const port = await freePortBlock(3);
  const route = { name: "orders", port, domain: "source" as const };
  await applyGateway(api, "gw", gatewaySpec(pair.endpoints, [route], "v1"), "pulumi");
  await waitForStatus(api, "gw", (s) => s.observedGeneration === 1 && ready(s).status === "True");
  expect((await podConfigs(api, "gw")).map((p) => p.configId)).toEqual(["v1", "v1", "v1"]);
  const served = await daemonStatusWhen((s) => s.routes.orders !== undefined);
  expect(served.routes.orders).toMatchObject({
    gateway: "gw",
    endpoint: `127.0.0.1:${port}`,
    domain: "source",
    fenced: false,
    generation: 1,
  });
  expect(served.gateways).toMatchObject([{ name: "gw", observedGeneration: 1, appliedGeneration: 1, ready: "True" }]);

  const topic = `daemon-${Date.now().toString(36)}`;
  const viaSource = new Kafka({
    brokers: [`127.0.0.1:${port}`],
    sasl: { mechanism: "scram-sha-512", ...pair.endpoints.source.admin },
    logLevel: logLevel.NOTHING,
  });
  const admin = viaSource.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
  await admin.disconnect();
  const producer = viaSource.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: "through the daemon" }] });
  await producer.disconnect();

  await applyGateway(
    api,
    "gw",
    gatewaySpec(pair.endpoints, [{ ...route, fenced: true }], "fence"),
    "kafka-cutover",
    true,
  );
  await waitForStatus(api, "gw", (s) => s.observedGeneration === 2);
  expect((await daemonStatusWhen((s) => s.routes.orders?.generation === 2)).routes.orders).toMatchObject({
    fenced: true,
    domain: "source",
  });

  await applyGateway(
    api,
    "gw",
    gatewaySpec(pair.endpoints, [{ ...route, domain: "destination" }], "switch"),
    "kafka-cutover",
  );
  await waitForStatus(api, "gw", (s) => s.observedGeneration === 3 && ready(s).status === "True");
  expect((await daemonStatusWhen((s) => s.routes.orders?.generation === 3)).routes.orders).toMatchObject({
    fenced: false,
    domain: "destination",
  });
  const { destination } = pair.endpoints;
  const destAdmin = new Kafka({
    brokers: [`127.0.0.1:${port}`],
    sasl: { mechanism: "plain", username: destination.apiKey, password: destination.apiSecret },
    logLevel: logLevel.NOTHING,
  }).admin();
  await destAdmin.connect();
  expect((await destAdmin.describeCluster()).clusterId).toBe(destination.kafkaClusterId);
  await destAdmin.disconnect();

  await deleteGateway(api, "gw");
  await daemonStatusWhen((s) => Object.keys(s.routes).length === 0 && s.gateways.length === 0);
  expect(await refused(port)).toBe(true);

  // A CR re-created under the same name is served again (a new uid).
  await applyGateway(api, "gw", gatewaySpec(pair.endpoints, [route], "again"), "pulumi");
  await waitForStatus(api, "gw", (s, cr) => cr.spec.configId === "again" && ready(s).status === "True");
  await daemonStatusWhen((s) => s.routes.orders?.domain === "source");

  expect(await stopGatewayDaemon({ stateDir })).toEqual({ pid: daemon.pid, how: "term" });
  expect(alive(daemon.pid)).toBe(false);
  expect(gatewayDaemonPid({ stateDir })).toBeUndefined();
  expect(processesOf(stateDir)).toEqual([]);
  expect(fs.existsSync(gatewayPidFile(stateDir))).toBe(false);
  expect(await refused(port)).toBe(true);
  expect(await stopGatewayDaemon({ stateDir })).toEqual({ how: "none" });
  expect(fs.readFileSync(daemon.logFile, "utf8")).toContain("gateway gw: routes stopped");
});
