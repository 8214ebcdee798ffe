/**
 * librdkafka (kcat) produces, consumes in a group and commits through a passthrough route and through swap
 * routes with SCRAM in and with PLAIN in (mTLS in: mtlsClientsAreMappedToTheirPrincipalAndSwappedToPlain). librdkafka asks for
 * the newest versions (Metadata v12+, flexible FindCoordinator v4 batches, DescribeCluster-era headers), so
 * this is the check of the gateway's rewriting beyond kafkajs's old versions.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Kafka } from "kafkajs";
import { InMemoryGateway, InMemorySecrets, startGateway, type RunningGateway } from "../../../local/gateway";
import { kafkajsConfig } from "../../../local/kafka";
import { kcatInstalled, runKcat } from "../../../local/kafka/kcat";
import { gatewaySpec, registeredScramUsers, swapSecrets } from "./helpers/cr";
import { freePortBlock, kafkaPair, type PairHandle } from "./helpers/env";

const hasKcat = kcatInstalled;

const maybe = hasKcat() ? describe : describe.skip;
if (!hasKcat()) console.warn("kcat is not installed (apt-get install kcat): skipping the librdkafka gateway tests");

maybe("kcat through the gateway", () => {
  let pair: PairHandle;
  let gateway: RunningGateway;
  let dir: string;
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    pair = await kafkaPair();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-kcat-"));
    const { destination } = pair.endpoints;
    const secrets = new InMemorySecrets();
    for (const s of swapSecrets({ rdk: { apiKey: destination.apiKey, apiSecret: destination.apiSecret } }))
      secrets.put(s);
    secrets.put(registeredScramUsers({ rdk: "rdk-pass" }));
    ports.passthrough = await freePortBlock(3);
    ports.swap = await freePortBlock(3);
    ports["swap-plain"] = await freePortBlock(3);
    const cr = new InMemoryGateway("gw");
    cr.apply(
      gatewaySpec(pair.endpoints, [
        { name: "passthrough", port: ports.passthrough, domain: "source" },
        { name: "swap", port: ports.swap, domain: "destination", auth: "swap", client: "scram" },
        { name: "swap-plain", port: ports["swap-plain"], domain: "destination", auth: "swap", client: "plain" },
      ]),
    );
    gateway = await startGateway({ stateDir: pair.stateDir, source: cr, status: cr, secrets });
    await gateway.operator?.idle();
    await gateway.dataPlane.waitSettled();
  });

  afterAll(async () => {
    await gateway?.stop();
    await pair?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function config(route: string, mechanism: string, username: string, password: string): string {
    const file = path.join(dir, `${route}.conf`);
    const lines = [
      `bootstrap.servers=127.0.0.1:${ports[route]}`,
      "security.protocol=SASL_PLAINTEXT",
      `sasl.mechanisms=${mechanism}`,
      `sasl.username=${username}`,
      `sasl.password=${password}`,
    ];
    fs.writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
    return file;
  }

  it.each([
    ["passthrough", "SCRAM-SHA-512", () => pair.endpoints.source.admin],
    ["swap", "SCRAM-SHA-512", () => ({ username: "rdk", password: "rdk-pass" })],
    ["swap-plain", "PLAIN", () => ({ username: "rdk", password: pair.endpoints.destination.apiSecret })],
  ])(
    "%s route (%s in): produce, consume in a group and commit, gateway addresses only",
    async (route, mechanism, creds) => {
      const { username, password } = creds();
      const conf = config(route, mechanism, username, password);
      const topic = `kcat-${route}-${Date.now().toString(36)}`;
      // The brokers do not auto-create topics: create it on the route's cluster directly.
      const cluster = route === "passthrough" ? pair.endpoints.source : pair.endpoints.destination;
      const admin = new Kafka(kafkajsConfig(cluster)).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
      await admin.disconnect();
      const produced = await runKcat(["-F", conf, "-P", "-t", topic], { input: "one\ntwo\nthree\n" });
      expect(produced.stderr).not.toMatch(/ERROR|error:/);
      expect(produced.code).toBe(0);
      const consumed = await runKcat(["-F", conf, "-G", `g-${topic}`, "-o", "beginning", "-e", "-c", "3", topic], {
        timeoutMs: 40_000,
      });
      expect(consumed.stdout.trim().split("\n").sort()).toEqual(["one", "three", "two"]);
      // kcat commits when its group consumer closes; the commits are on the cluster the route leads to.
      const check = new Kafka(kafkajsConfig(cluster)).admin();
      await check.connect();
      const offsets = await check.fetchOffsets({ groupId: `g-${topic}`, topics: [topic] });
      await check.disconnect();
      expect(offsets[0].partitions.map((p) => Math.max(0, Number(p.offset))).reduce((a, b) => a + b, 0)).toBe(3);
      const meta = await runKcat(["-F", conf, "-L", "-J"]);
      const brokers = (JSON.parse(meta.stdout) as { brokers: { id: number; name: string }[] }).brokers;
      expect(brokers.length).toBeGreaterThan(0);
      for (const b of brokers) expect(b.name).toBe(`127.0.0.1:${ports[route] + 1 + b.id}`);
    },
  );
});
