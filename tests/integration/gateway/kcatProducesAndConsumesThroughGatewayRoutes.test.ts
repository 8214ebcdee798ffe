/**
 * librdkafka (kcat) produces and consumes through a passthrough route and a swap route. librdkafka asks for
 * the newest versions (Metadata v12+, flexible FindCoordinator v4 batches, DescribeCluster-era headers), so
 * this is the check of the gateway's rewriting beyond kafkajs's old versions.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Kafka } from "kafkajs";
import { InMemoryGateway, InMemorySecrets, startGateway, type RunningGateway } from "../../../local/gateway";
import { kafkajsConfig } from "../../../local/kafka";
import { runKcat } from "../../../local/kafka/kcat";
import { gatewaySpec, registeredScramUsers, swapSecrets } from "./helpers/cr";
import { freePortBlock, kafkaPair, type PairHandle } from "./helpers/env";

function hasKcat(): boolean {
  try {
    execFileSync("which", ["kcat"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

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
    const cr = new InMemoryGateway("gw");
    cr.apply(
      gatewaySpec(pair.endpoints, [
        { name: "passthrough", port: ports.passthrough, domain: "source" },
        { name: "swap", port: ports.swap, domain: "destination", auth: "swap", client: "scram" },
      ]),
    );
    gateway = await startGateway({ stateDir: pair.stateDir, source: cr, status: cr, secrets });
    await gateway.operator?.idle();
  });

  afterAll(async () => {
    await gateway?.stop();
    await pair?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function config(route: string, username: string, password: string): string {
    const file = path.join(dir, `${route}.conf`);
    const lines = [
      `bootstrap.servers=127.0.0.1:${ports[route]}`,
      "security.protocol=SASL_PLAINTEXT",
      "sasl.mechanisms=SCRAM-SHA-512",
      `sasl.username=${username}`,
      `sasl.password=${password}`,
    ];
    fs.writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
    return file;
  }

  it.each([
    ["passthrough", () => pair.endpoints.source.admin],
    ["swap", () => ({ username: "rdk", password: "rdk-pass" })],
  ])("%s route: produce, consume in a group, list metadata with gateway addresses only", async (route, creds) => {
    const { username, password } = creds();
    const conf = config(route, username, password);
    const topic = `kcat-${route}-${Date.now().toString(36)}`;
    // The brokers do not auto-create topics: create it on the route's cluster directly.
    const admin = new Kafka(
      kafkajsConfig(route === "swap" ? pair.endpoints.destination : pair.endpoints.source),
    ).admin();
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
    const meta = await runKcat(["-F", conf, "-L", "-J"]);
    const brokers = (JSON.parse(meta.stdout) as { brokers: { id: number; name: string }[] }).brokers;
    expect(brokers.length).toBeGreaterThan(0);
    for (const b of brokers) expect(b.name).toBe(`127.0.0.1:${ports[route] + 1 + b.id}`);
  });
});
