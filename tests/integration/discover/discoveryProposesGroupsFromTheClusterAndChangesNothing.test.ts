/**
 * Discovery against the local source: seeded topics, consumer groups with committed offsets (one with a live
 * member), and ACLs for a SCRAM principal. It proposes the groups those ties imply, names the consumer a
 * configured group forgot, and leaves topics, offsets, configs and ACLs exactly as they were.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import YAML from "yaml";
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ConfigResourceTypes,
  ResourcePatternTypes,
  type Admin,
  type Consumer,
} from "kafkajs";
import { validateStackConfig } from "../../../config";
import { createScramUser } from "../../../local/kafka";
import { discover, type Discovery } from "../../../tools/discover/discover";
import { PASSWORD_ENV } from "../../../tools/discover/access";
import { rawConfig, validPlain, validSecrets } from "../../unit/config/rawConfig";
import { eventually, loadEndpoints, stateDir, uniqueName } from "../helpers";
import { client } from "../helpers/kafka";

const endpoints = loadEndpoints();
const source = endpoints.source;
const access = {
  bootstrap: source.bootstrap,
  securityProtocol: source.securityProtocol,
  mechanism: source.mechanism,
  username: source.admin.username,
  password: source.admin.password,
};

const p = uniqueName("disc");
const t = {
  orders: `${p}.orders`,
  payments: `${p}.payments`,
  invoices: `${p}.invoices`,
  ledger: `${p}.ledger`,
  lonely: `${p}.lonely`,
};
const ordersService = `${p}-orders-svc`;
const fraud = `${p}-fraud`;
const fraudClientId = `${p}-fraud-app`;
const billing = `${p}-billing`;
const filter = new RegExp(`^${p.replace(/[-.]/g, "\\$&")}\\.`);

let admin: Admin;
let fraudConsumer: Consumer;

/** Everything discovery could change on our names: topics, configs, end offsets, group offsets, ACLs. */
async function snapshot(): Promise<unknown> {
  const topics = (await admin.listTopics()).filter((n) => n.startsWith(p)).sort();
  const groups = (await admin.listGroups()).groups
    .map((g) => g.groupId)
    .filter((g) => g.startsWith(p))
    .sort();
  const offsets = await Promise.all(groups.map((groupId) => admin.fetchOffsets({ groupId })));
  const ends = await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)));
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  const acls = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    principal: `User:${billing}`,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  return { topics, groups, offsets, ends, configs: configs.resources, acls: acls.resources };
}

beforeAll(async () => {
  admin = client(source).admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.values(t).map((topic) => ({ topic, numPartitions: 2, replicationFactor: 1 })),
  });
  const producer = client(source).producer();
  await producer.connect();
  for (const topic of [t.orders, t.payments, t.invoices])
    await producer.send({ topic, messages: [{ value: "a" }, { value: "b" }, { value: "c" }] });
  await producer.disconnect();

  // orders-svc: committed offsets on orders and payments, no member (its application is between runs).
  for (const topic of [t.orders, t.payments])
    await admin.setOffsets({ groupId: ordersService, topic, partitions: [{ partition: 0, offset: "1" }] });

  // fraud: a live member reading orders, which a configured group below forgets to list.
  fraudConsumer = client(source, undefined, { clientId: fraudClientId }).consumer({
    groupId: fraud,
    maxWaitTimeInMs: 200,
  });
  await fraudConsumer.connect();
  await fraudConsumer.subscribe({ topic: t.orders, fromBeginning: true });
  let consumed = 0;
  await fraudConsumer.run({ eachMessage: async () => void consumed++ });
  await eventually(
    async () => {
      const committed = (await admin.fetchOffsets({ groupId: fraud, topics: [t.orders] }))[0].partitions;
      const total = committed.reduce((sum, c) => sum + Math.max(0, Number(c.offset)), 0);
      if (consumed < 3 || total < 3) throw new Error(`consumed ${consumed}, committed ${total}`);
    },
    { timeoutMs: 30_000, what: "the fraud consumer committing what it read" },
  );

  // billing: a SCRAM principal that reads invoices and writes ledger, nothing else.
  await createScramUser(billing, undefined, { stateDir: stateDir() });
  const allow = (resourceName: string, operation: AclOperationTypes) => ({
    resourceType: AclResourceTypes.TOPIC,
    resourceName,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: `User:${billing}`,
    host: "*",
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  });
  await admin.createAcls({
    acl: [allow(t.invoices, AclOperationTypes.READ), allow(t.ledger, AclOperationTypes.WRITE)],
  });
}, 90_000);

afterAll(async () => {
  await fraudConsumer?.disconnect();
  await admin?.disconnect();
});

const configured = [{ name: "orders", topics: [t.orders, t.payments], consumerGroups: [ordersService] }];
let found: Discovery;

describe("discovery on the local source", () => {
  it("proposes one group per set of topics tied by consumer groups or a principal, and changes nothing on the cluster", async () => {
    const before = await snapshot();
    found = await discover(access, { topicFilter: filter, configuredGroups: configured });
    expect(await snapshot()).toEqual(before);

    expect(found.inventory.topics.map((x) => x.name)).toEqual(Object.values(t).sort());
    expect(found.inventory.topics.find((x) => x.name === t.orders)).toMatchObject({
      partitions: 2,
      cleanupPolicy: "delete",
      records: 3,
      bytes: "unknown",
    });
    expect(found.proposal.entries.map((e) => [e.name, e.topics, e.consumerGroups])).toEqual([
      [`${p}-invoices`, [t.invoices, t.ledger], []],
      [`${p}-lonely`, [t.lonely], []],
      [`${p}-orders`, [t.orders, t.payments], [fraud, ordersService].sort()],
    ]);
    const [billingGroup, lonely, orders] = found.grouping.groups;
    expect(billingGroup.principals).toEqual([`User:${billing}`]);
    expect(billingGroup.reasons).toContain(`principal User:${billing} has READ on ${t.invoices}; WRITE on ${t.ledger}`);
    expect(orders.reasons).toContain(`consumer group ${ordersService} reads ${t.orders}, ${t.payments}`);
    expect(orders.reasons).toContain(`consumer group ${fraud} reads ${t.orders}, 1 live member`);
    expect(lonely.notes.join("\n")).toContain(`${t.lonely} has no consumer group`);

    const fraudInfo = found.inventory.consumerGroups.find((g) => g.id === fraud);
    expect(fraudInfo?.members.map((m) => m.clientId)).toEqual([fraudClientId]);
    expect(fraudInfo?.members[0].host).toMatch(/127\.0\.0\.1/);
    expect(fraudInfo?.assignedTopics).toEqual([t.orders]);

    // The unlisted consumer: the configured group forgot fraud, which reads one of its topics.
    expect(found.findings.map((f) => [f.group, f.kind])).toEqual([["orders", "unlisted-consumer"]]);
    expect(found.findings[0].message).toContain(
      `consumer group ${fraud} reads ${t.orders} but is not in orders's consumerGroups`,
    );
  });

  it("writes a proposal the program's config validator accepts", () => {
    const parsed = YAML.parse(found.yaml) as Record<string, unknown>;
    const config = validateStackConfig(
      rawConfig({ ...validPlain(), groups: parsed["kafka-cutover:groups"] }, validSecrets()),
    );
    expect(config.groups.map((g) => g.name)).toEqual([`${p}-invoices`, `${p}-lonely`, `${p}-orders`]);
    expect(found.yaml).not.toContain(source.admin.password);
  });

  it("npm run discover prints the report and writes the same proposal to --out, never the password", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "discover-")), "groups.yaml");
    const args = ["ts-node", "--transpile-only", "tools/discover/main.ts", "--bootstrap", source.bootstrap];
    args.push("--security-protocol", "SASL_PLAINTEXT", "--mechanism", "SCRAM-SHA-512", "--username", access.username);
    args.push("--topics", filter.source, "--out", out);
    const { stdout, stderr } = await promisify(execFile)("npx", args, {
      cwd: path.resolve(__dirname, "../../.."),
      env: { ...process.env, [PASSWORD_ENV]: access.password },
    });
    expect(stdout).toContain(`member ${fraudClientId} @ `);
    const reportLine = stdout.split("\n").find((l) => l.startsWith(`  ${t.invoices}: `));
    expect(reportLine).toContain(`User:${billing} READ`);
    const written = YAML.parse(fs.readFileSync(out, "utf8")) as Record<string, unknown>;
    expect(written).toEqual(YAML.parse(found.yaml));
    expect(stdout + stderr + fs.readFileSync(out, "utf8")).not.toContain(access.password);
  }, 60_000);
});
