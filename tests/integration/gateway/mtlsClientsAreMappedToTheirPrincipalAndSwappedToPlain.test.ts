/**
 * A swap route with mTLS in and PLAIN out, as components/gatewaySpec.ts declares it: TLS listeners with the
 * client TLS Secret's certificate, a client certificate signed by that Secret's CA, its subject mapped to a
 * principal by `principalMappingRules`, and the gateway signed in to the destination with that principal's
 * API key from the File store. kafkajs and kcat (librdkafka) produce, consume in a group and commit through
 * it and are only ever shown gateway addresses; a certificate from another CA fails the handshake; a
 * principal the store does not know is refused with SASL_AUTHENTICATION_FAILED.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { InMemoryGateway, InMemorySecrets, startGateway, type RunningGateway } from "../../../local/gateway";
import { kafkajsConfig } from "../../../local/kafka";
import { kcatInstalled, runKcat } from "../../../local/kafka/kcat";
import type { LocalCertificates } from "../../../local/certificates";
import type { CertificateFiles } from "../../../local/tls";
import { clientTlsSecret, gatewaySpec, swapSecrets } from "./helpers/cr";
import { freePortBlock, kafkaPair, type PairHandle } from "./helpers/env";
import { consumeValuesWith } from "../helpers/kafka";
import { certificateFromAnotherCa, gatewayCertificates, readPem } from "./helpers/tls";

const uid = (p: string): string => `${p}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
// Principals of local:up's client certificates: the store knows the first only.
const KNOWN = "demo-app";
const UNKNOWN = "billing-app";

const hasKcat = kcatInstalled;

let pair: PairHandle;
let gateway: RunningGateway;
let certs: LocalCertificates;
let port: number;
let dir: string;
const gatewayLog: string[] = [];

beforeAll(async () => {
  pair = await kafkaPair();
  certs = gatewayCertificates([KNOWN, UNKNOWN]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-mtls-"));
  const { destination } = pair.endpoints;
  const secrets = new InMemorySecrets();
  for (const s of swapSecrets({ [KNOWN]: { apiKey: destination.apiKey, apiSecret: destination.apiSecret } }))
    secrets.put(s);
  secrets.put(clientTlsSecret({ ...readPem(certs.server), ca: fs.readFileSync(certs.ca.cert, "utf8") }));
  port = await freePortBlock(3);
  const cr = new InMemoryGateway("gw");
  cr.apply(gatewaySpec(pair.endpoints, [{ name: "mtls", port, domain: "destination", auth: "swap", client: "mtls" }]));
  gateway = await startGateway({
    stateDir: pair.stateDir,
    source: cr,
    status: cr,
    secrets,
    log: (m) => gatewayLog.push(m),
  });
  await gateway.operator?.idle();
  await gateway.dataPlane.waitSettled();
  expect(cr.status?.conditions?.[0]).toMatchObject({ status: "True" });
});

afterAll(async () => {
  await gateway?.stop();
  await pair?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function viaGateway(client: CertificateFiles, retries = 5): Kafka {
  return new Kafka({
    clientId: "mtls-test",
    brokers: [`127.0.0.1:${port}`],
    ssl: { ca: [fs.readFileSync(certs.ca.cert, "utf8")], ...readPem(client) },
    retry: { retries },
    logLevel: logLevel.NOTHING,
  });
}

async function createTopicOnDestination(topic: string): Promise<void> {
  const admin = new Kafka(kafkajsConfig(pair.endpoints.destination)).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Committed offsets of `groupId` on `topic`, summed over partitions, read on the destination directly. */
async function committedOnDestination(groupId: string, topic: string): Promise<number> {
  const admin = new Kafka(kafkajsConfig(pair.endpoints.destination)).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets[0].partitions.map((p) => Math.max(0, Number(p.offset))).reduce((a, b) => a + b, 0);
  } finally {
    await admin.disconnect();
  }
}

function brokerAddressOf(nodeId: number): string {
  return `127.0.0.1:${port + 1 + nodeId}`;
}

it("kafkajs: a certificate of the route's CA is its principal's login; produce, consume in a group, commit", async () => {
  const kafka = viaGateway(certs.clients[KNOWN]);
  const topic = uid("mtls-kafkajs");
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.length).toBeGreaterThan(0);
    for (const b of cluster.brokers) expect(`${b.host}:${b.port}`).toBe(brokerAddressOf(b.nodeId));
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: "a" }, { value: "b" }, { value: "c" }] });
  await producer.disconnect();

  const groupId = uid("mtls-kafkajs-group");
  const seen = await consumeValuesWith(kafka, topic, groupId, 3, 30_000);
  expect(seen.sort()).toEqual(["a", "b", "c"]);
  // The records and the commits are on the destination: the cluster the store's API key signs in to.
  expect(await committedOnDestination(groupId, topic)).toBe(3);
});

it("kafkajs: a client certificate from another CA fails the TLS handshake", async () => {
  const before = gatewayLog.length;
  const admin = viaGateway(certificateFromAnotherCa(KNOWN), 0).admin();
  await expect(admin.connect()).rejects.toThrow();
  await admin.disconnect();
  expect(gatewayLog.slice(before).join("\n")).toMatch(/TLS handshake failed: .*client certificate: UNABLE_TO_VERIFY/);
});

it("kafkajs: a principal the secret store does not know is refused with an authentication error", async () => {
  const before = gatewayLog.length;
  const admin = viaGateway(certs.clients[UNKNOWN], 0).admin();
  await expect(admin.connect()).rejects.toMatchObject({ type: "SASL_AUTHENTICATION_FAILED" });
  await admin.disconnect();
  expect(gatewayLog.slice(before).join("\n")).toContain(
    `principal ${UNKNOWN} has no entry in secret gw-swap-credentials`,
  );
});

const maybe = hasKcat() ? describe : describe.skip;
if (!hasKcat()) console.warn("kcat is not installed (apt-get install kcat): skipping the librdkafka mTLS tests");

maybe("kcat (librdkafka)", () => {
  function config(client: CertificateFiles): string {
    const file = path.join(dir, `${uid("kcat")}.conf`);
    const lines = [
      `bootstrap.servers=127.0.0.1:${port}`,
      "security.protocol=SSL",
      `ssl.ca.location=${certs.ca.cert}`,
      `ssl.certificate.location=${client.cert}`,
      `ssl.key.location=${client.key}`,
    ];
    fs.writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
    return file;
  }

  it("produces, consumes in a group and commits, and sees only gateway addresses", async () => {
    const conf = config(certs.clients[KNOWN]);
    const topic = uid("mtls-kcat");
    await createTopicOnDestination(topic);
    const produced = await runKcat(["-F", conf, "-P", "-t", topic], { input: "one\ntwo\nthree\n" });
    expect(produced.stderr).not.toMatch(/ERROR|error:/);
    expect(produced.code).toBe(0);
    const groupId = uid("mtls-kcat-group");
    const consumed = await runKcat(["-F", conf, "-G", groupId, "-o", "beginning", "-e", "-c", "3", topic], {
      timeoutMs: 45_000,
    });
    expect(consumed.stdout.trim().split("\n").sort()).toEqual(["one", "three", "two"]);
    expect(await committedOnDestination(groupId, topic)).toBe(3);
    const meta = await runKcat(["-F", conf, "-L", "-J"]);
    const brokers = (JSON.parse(meta.stdout) as { brokers: { id: number; name: string }[] }).brokers;
    expect(brokers.length).toBeGreaterThan(0);
    for (const b of brokers) expect(b.name).toBe(brokerAddressOf(b.id));
  });

  it("is refused with a certificate from another CA and with an unknown principal", async () => {
    const otherCa = await runKcat(["-F", config(certificateFromAnotherCa(KNOWN)), "-L", "-m", "5"]);
    expect(otherCa.code).not.toBe(0);
    // librdkafka sends no certificate the server's CA list does not name; the handshake then fails for lack of one.
    expect(otherCa.stderr).toMatch(/alert certificate required|SSL handshake failed/);
    const unknown = await runKcat(["-F", config(certs.clients[UNKNOWN]), "-L", "-m", "5"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/SASL Authentication failed/i);
  });
});
