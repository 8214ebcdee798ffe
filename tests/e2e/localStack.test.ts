/**
 * The real Pulumi CLI (built from the Go module proxy) runs the program on the local stack, offline, on
 * the file backend: preview (saying what destroy would keep), up (recording retainOnDelete on the Gateway CR
 * and its Secrets), and a second preview that must show no changes; a preview of a cutover
 * changes nothing and names its blockers; the demo group is cut over under load with kafkajs and kcat
 * clients and a canary; then the stack is lived with: a group added and another edited, `up --target` on the
 * CR, a new destination API key, and destroy with one group cut over (the Gateway CR kept, its clients still
 * served). Bad config must fail preview with the key and the fix.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, ResourcePatternTypes } from "kafkajs";
import YAML from "yaml";
import { createApiKey, kafkajsConfig, type KafkaPairEndpoints } from "../../local/kafka";
import { CutoverRunResult, cutoverUnderLoad } from "../../local/cutoverUnderLoad";
import { prepareLocalStack, runPulumi } from "../../local/stack";
import { localStackGateway, localStackGroups, localStackTopics } from "../../local/topics";
import { KubernetesClient } from "../../clients/kubernetes";
import { runCanary } from "../../dynamic/cutover/canary";
import { LiveRoute } from "../../dynamic/cutover/liveRoute";
import { freePortBlocks } from "../../local/kafka/ports";
import { PORTS_PER_ROUTE } from "../../local/routes";
import { LOCAL_STACK, interruptRunningPulumi, setStackSecret } from "../../local/stack";
import { ensureSourceTopics } from "../../local/topics";
import { destinationRest, endpointsPathOrFail, readEndpoints } from "./helpers/localEnvironment";

const endpointsPath = endpointsPathOrFail();
const endpoints = readEndpoints();

async function pulumi(workDir: string, args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await runPulumi(workDir, args, (chunk) => {
    out += chunk;
  });
  return { code, out };
}

const LINK = "msk-to-cc";
/** A group the tests add to the local stack once another is cut over (Pulumi.local.yaml does not declare it). */
const ADDED_GROUP = { name: "ledger", topic: "ledger.entries" };
const GATEWAY_CR_URN = `urn:pulumi:${LOCAL_STACK}::kafka-cutover::kafka-cutover:index:Gateway$kubernetes:platform.confluent.io/v1beta1:Gateway::gateway-cr`;

/** Removes the local stack's link, failing its mirrors over (force): they become plain destination topics. */
async function removeLocalStackLink(): Promise<void> {
  await destinationRest(endpoints)
    .deleteLink(LINK, { force: true })
    .catch(() => undefined);
}

/**
 * Mirrors cannot be created over existing topics, so a run starts by deleting the destination topics an
 * earlier run's mirrors left. Only here, before this run's stack touches them: the emulator's long-lived
 * Kafka clients fail every later metadata refresh once a topic they used is deleted under them, so
 * deleting at the end would break other tests sharing the emulator. (`npm test` starts a new emulator
 * each run; to re-run this file by hand, restart the environment: npm run local:down && npm run local:up.)
 */
async function removeLeftoverMirrorTopics(): Promise<void> {
  await removeLocalStackLink();
  const pair = JSON.parse(fs.readFileSync(endpointsPath, "utf8")) as KafkaPairEndpoints;
  const admin = new Kafka(kafkajsConfig(pair.destination)).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = [...localStackTopics(), ADDED_GROUP.topic].filter((t) => existing.has(t));
    if (topics.length === 0) return;
    await admin.deleteTopics({ topics });
    // Deletion completes asynchronously; a mirror created over a topic still being deleted fails.
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      const left = new Set(await admin.listTopics());
      if (!topics.some((t) => left.has(t))) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await admin.disconnect();
  }
}

/** A group's route in the live Gateway CR: which side, fenced or not, at which CR generation. */
async function liveRoute(
  group: string,
): Promise<{ domain: string; fenced: boolean; generation: number; endpoint: string } | undefined> {
  const kubeconfig = fs.readFileSync(endpoints.kubernetes?.kubeconfig ?? "", "utf8");
  const { namespace, name } = localStackGateway();
  const live = await new LiveRoute(new KubernetesClient({ kubeconfig }), namespace, name, group).read();
  return (
    live && {
      domain: live.view.domain,
      fenced: live.view.fenced,
      generation: live.view.generation,
      endpoint: live.view.route.endpoint,
    }
  );
}

const demoRoute = () => liveRoute("demo");

/**
 * The cut-over demo group's clients still reach the destination: one record through its route as its app, read
 * back through the route and found on the destination at the same offset.
 */
async function expectDemoClientsReachTheDestination(): Promise<void> {
  const app = endpoints.apps?.demo;
  if (!app) throw new Error("endpoints.json has no demo app");
  const d = endpoints.destination;
  const written = await runCanary(
    "demo",
    {
      topic: localStackGroups()[0].topics[0],
      access: {
        bootstrap: endpoints.gateway?.routes.demo ?? "",
        securityProtocol: "SASL_PLAINTEXT",
        mechanism: "SCRAM-SHA-512",
        username: app.username,
        password: app.password,
      },
    },
    {
      bootstrap: d.bootstrap,
      securityProtocol: "SASL_PLAINTEXT",
      mechanism: "PLAIN",
      username: d.apiKey,
      password: d.apiSecret,
    },
    Date.now() + 30_000,
  );
  expect(Number(written.offset)).toBeGreaterThan(0);
}

/** What a Confluent Cloud CloudClusterAdmin may do, for a new API key of the program's service account. */
async function grantClusterAdmin(principal: string): Promise<void> {
  const pair = JSON.parse(fs.readFileSync(endpointsPath, "utf8")) as KafkaPairEndpoints;
  const admin = new Kafka(kafkajsConfig(pair.destination)).admin();
  await admin.connect();
  try {
    const all = (resourceType: AclResourceTypes, resourceName: string) => ({
      resourceType,
      resourceName,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal,
      host: "*",
      operation: AclOperationTypes.ALL,
      permissionType: AclPermissionTypes.ALLOW,
    });
    await admin.createAcls({
      acl: [
        all(AclResourceTypes.CLUSTER, "kafka-cluster"),
        all(AclResourceTypes.TOPIC, "*"),
        all(AclResourceTypes.GROUP, "*"),
        all(AclResourceTypes.TRANSACTIONAL_ID, "*"),
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

interface ExportedState {
  deployment: { resources: { type: string; urn: string; retainOnDelete?: boolean }[] };
}

async function exportedState(workDir: string): Promise<ExportedState> {
  return JSON.parse((await pulumi(workDir, ["stack", "export"])).out) as ExportedState;
}

function expectRetainedExactlyTheGatewayAndItsSecrets(exported: ExportedState): void {
  expect(
    exported.deployment.resources
      .filter((r) => r.retainOnDelete)
      .map((r) => `${r.type} ${r.urn.split("::").pop() ?? ""}`)
      .sort(),
  ).toEqual([
    "kubernetes:core/v1:Secret gateway-plain-jaas",
    "kubernetes:core/v1:Secret gateway-store-config",
    "kubernetes:core/v1:Secret gateway-swap-credentials",
    "kubernetes:platform.confluent.io/v1beta1:Gateway gateway-cr",
  ]);
}

/** Fails with the CLI's output, so a red test says what pulumi said. */
function expectSuccess(r: { code: number; out: string }): void {
  if (r.code !== 0) throw new Error(`pulumi exited ${r.code}:\n${r.out.split("\n").slice(-60).join("\n")}`);
}

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? allFiles(p) : [p];
  });
}

describe("the local stack under the real pulumi CLI", () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "kc-e2e-"));
  beforeAll(() => removeLeftoverMirrorTopics(), 60_000);
  // A test that timed out must not leave its pulumi command holding the stack's lock for the next ones.
  afterEach(() => interruptRunningPulumi(), 60_000);
  afterAll(async () => {
    fs.rmSync(workDir, { recursive: true, force: true });
    await removeLocalStackLink();
  }, 60_000);

  it("previews, applies, then previews no changes, offline", async () => {
    prepareLocalStack({ workDir, endpoints });

    const preview = await pulumi(workDir, ["preview", "--diff"]);
    expect(preview.out).toContain("kafka-cutover:index:MigrationGroup");
    expectSuccess(preview);
    // The ACLs carried over (#17) show as the inputs of each group's <group>-acls, read from the source.
    const demoKey = endpoints.apps?.demo?.apiKey ?? "(no demo app)";
    expect(preview.out).toMatch(/\+ pulumi-nodejs:dynamic\/kafka-cutover:DestinationAcls: \(create\)/);
    expect(preview.out).toMatch(new RegExp(`principal\\s*: "User:${demoKey}"`));
    expect(preview.out).toMatch(/\+ \d+ to create/);
    // What destroy would keep, as the CLI shows it (the stack's diagnostics).
    expect(preview.out).toContain("what pulumi destroy would keep, delete and refuse:");
    expect(preview.out).toContain("the Gateway CR confluent/migration-gateway and the Secrets its swap routes read");

    const up = await pulumi(workDir, ["up", "--yes", "--skip-preview"]);
    expectSuccess(up);
    expect(up.out).toMatch(/\+ \d+ created/);

    // The link and one mirror per group topic exist on the destination, mirroring.
    const rest = destinationRest(endpoints);
    const link = await rest.getLink(LINK);
    expect(link.link_state).toBe("ACTIVE");
    expect(link.source_cluster_id).toBe(endpoints.source.clusterId);
    const mirrors = await rest.listMirrors(LINK);
    expect(mirrors.map((m) => m.mirror_topic_name).sort()).toEqual([...localStackTopics()].sort());
    for (const m of mirrors) expect([m.mirror_topic_name, m.mirror_status]).toEqual([m.mirror_topic_name, "ACTIVE"]);
    const offsetSync = new Map((await rest.getLinkConfigs(LINK)).map((c) => [c.name, c.value]));
    expect(offsetSync.get("consumer.offset.sync.ms")).toBe("1000");
    expect(JSON.parse(offsetSync.get("consumer.offset.group.filters") ?? "{}")).toEqual({
      groupFilters: [
        { name: "billing-service", patternType: "LITERAL", filterType: "INCLUDE" },
        { name: "demo-audit-service", patternType: "LITERAL", filterType: "INCLUDE" },
        { name: "demo-orders-service", patternType: "LITERAL", filterType: "INCLUDE" },
      ],
    });

    // The state records retainOnDelete on exactly the Gateway CR and its Secrets: what destroy reads.
    const exported = await exportedState(workDir);
    expectRetainedExactlyTheGatewayAndItsSecrets(exported);

    // demo's app's source ACLs on its topics and consumer groups, for its API key; the environment granted
    // them already, so up created none (and destroy would delete none). Its cutover waits for them.
    const all = exported.deployment.resources as {
      type: string;
      urn: string;
      dependencies?: string[];
      outputs?: { bindings?: { principal: string; operation: string; resourceName: string }[]; owned?: unknown[] };
    }[];
    const demoAcls = all.find((r) => r.urn.endsWith("DestinationAcls::demo-acls"));
    expect(demoAcls?.outputs?.bindings?.map((b) => `${b.principal} ${b.operation} ${b.resourceName}`).sort()).toEqual(
      [
        ...["demo.orders", "demo.payments"].flatMap((t) => ["READ", "WRITE", "DESCRIBE"].map((o) => `${o} ${t}`)),
        ...["demo-orders-service", "demo-audit-service"].flatMap((g) => ["READ", "DESCRIBE"].map((o) => `${o} ${g}`)),
      ]
        .map((b) => `User:${demoKey} ${b}`)
        .sort(),
    );
    expect(demoAcls?.outputs?.owned).toEqual([]);
    expect(all.find((r) => r.urn.endsWith("GroupCutover::demo-cutover"))?.dependencies).toContain(demoAcls?.urn);

    const again = await pulumi(workDir, ["preview", "--expect-no-changes"]);
    expectSuccess(again);
    expect(again.out).toMatch(/\d+ unchanged/);

    const outputs = await pulumi(workDir, ["stack", "output", "--json"]);
    const parsed = JSON.parse(outputs.out) as {
      migrationGroups: Record<string, { endpoint: string; state: string }>;
      clusterLinkName: string;
      mirrorTopics: Record<string, string[]>;
    };
    expect(parsed.migrationGroups.demo).toMatchObject({
      endpoint: endpoints.gateway?.routes.demo,
      state: "standing-by",
      streamingDomain: "msk",
    });
    expect(parsed.clusterLinkName).toBe(LINK);
    expect(parsed.mirrorTopics).toEqual({ demo: ["demo.orders", "demo.payments"], billing: ["billing.invoices"] });
  }, 240_000);

  it("previews a cutover without changing anything, and a blocker (a topic not mirrored yet) fails it, named", async () => {
    const configPath = path.join(workDir, "Pulumi.local.yaml");
    const good = fs.readFileSync(configPath, "utf8");
    const routeBefore = await demoRoute();
    const set = (edit: (doc: YAML.Document) => void) => {
      const doc = YAML.parseDocument(good);
      edit(doc);
      fs.writeFileSync(configPath, doc.toString());
    };
    try {
      set((doc) => doc.setIn(["config", "kafka-cutover:groups", 0, "cutover"], true));
      const plan = await pulumi(workDir, ["preview"]);
      expectSuccess(plan);
      expect(plan.out).toContain("preflight: nothing blocks the cutover of group demo");
      expect(plan.out).toMatch(/~\s+pulumi-nodejs:dynamic\/kafka-cutover:GroupCutover demo-cutover update/);

      // The operator adds a topic and flips the group in one change: its mirror does not exist yet.
      set((doc) => {
        doc.setIn(["config", "kafka-cutover:groups", 0, "cutover"], true);
        doc.setIn(["config", "kafka-cutover:groups", 0, "topics", 2], "demo.refunds");
      });
      const blocked = await pulumi(workDir, ["preview"]);
      expect(blocked.code).not.toBe(0);
      expect(blocked.out).toContain(`not mirrored by link ${LINK}: demo.refunds`);
    } finally {
      fs.writeFileSync(configPath, good);
    }
    // Neither preview touched anything: the route's CR generation, its side, the mirrors.
    expect(await demoRoute()).toEqual(routeBefore);
    const mirrors = await destinationRest(endpoints).listMirrors(LINK);
    expect(mirrors.map((m) => m.mirror_status)).toEqual(mirrors.map(() => "ACTIVE"));
  }, 180_000);

  describe("cutting the demo group over under load, through the Gateway (kafkajs and kcat clients)", () => {
    let run: CutoverRunResult;
    beforeAll(async () => {
      const groups = localStackGroups();
      const index = groups.findIndex((g) => g.name === "demo");
      run = await cutoverUnderLoad({
        workDir,
        endpoints,
        group: "demo",
        groupIndex: index,
        topics: groups[index].topics,
        consumerGroup: groups[index].consumerGroups[0],
        ratePerSec: 200,
        settleMs: 2_000,
        kcat: { topic: groups[index].topics[1], consumerGroup: groups[index].consumerGroups[1], ratePerSec: 100 },
      });
      if (run.upCode !== 0) throw new Error(`pulumi up failed:\n${run.upOutput.split("\n").slice(-40).join("\n")}`);
    }, 240_000);

    it("preview is the preflight: it names nothing blocking and shows the cutover as the update", () => {
      expect(run.previewOutput).toContain("preflight: nothing blocks the cutover of group demo");
      expect(run.previewOutput).toMatch(/~\s+pulumi-nodejs:dynamic\/kafka-cutover:GroupCutover/);
    });

    it("no-acked-message-lost: every acknowledged record is on the destination exactly once, in order", () => {
      expect(run.byClient.kafkajs.acknowledged).toBeGreaterThan(500);
      expect(run.byClient.kcat?.acknowledged).toBeGreaterThan(250);
      for (const client of [run.byClient.kafkajs, run.byClient.kcat]) {
        // Both libraries' producers and consumers kept going on the destination after the cutover.
        expect(client?.ackedAfterCutover).toBeGreaterThan(50);
        expect(client?.consumedAfterCutover).toBeGreaterThan(50);
      }
      expect(run.byClient.kafkajs.lost).toEqual([]);
      expect(run.byClient.kcat?.lost).toEqual([]);
      expect(run.duplicated).toBe(0); // idempotent producers, both libraries
      expect(run.reordered).toEqual([]);
    });

    it("clients-never-split: the destination holds the source's log at the same offsets, then only later writes", () => {
      expect(run.split).toEqual([]);
    });

    it.each(["kafkajs", "kcat"] as const)(
      "consumers-resume-at-committed-offsets: the %s consumer group skips nothing across the cutover",
      (client) => {
        const seen = run.byClient[client];
        expect(seen?.consumed).toBeGreaterThan(0);
        expect(seen?.skipped).toEqual([]);
        // At-least-once: only what was consumed but not yet committed at the fence may come again.
        expect(seen?.rewound).toEqual([]);
      },
    );

    it("proves the clients' path after the switch with a canary through the route, found on the destination", () => {
      expect(run.previewOutput).toContain(
        "after the switch, a canary signs in to the route as demo-app (SCRAM-SHA-512), writes one record to kafka-cutover.canary",
      );
      const steps = run.stackOutput?.timeline.map((t) => [t.step, t.outcome]) ?? [];
      expect(steps.slice(-2)).toEqual([
        ["switch", "done"],
        ["canary", "done"],
      ]);
      expect(run.stackOutput?.timeline.at(-1)?.detail).toMatch(
        /^kafka-cutover\.canary\[0\]@\d+: produced and consumed through the route as demo-app, found on the destination; the route knows the group's topics demo\.orders, demo\.payments$/,
      );
    });

    it("records the blocked window, and a second preview after the cutover changes nothing", async () => {
      expect(run.blockedWindowMs).toBeGreaterThan(0);
      // The state records retainOnDelete on exactly the Gateway CR and its Secrets: what destroy reads.
      expectRetainedExactlyTheGatewayAndItsSecrets(await exportedState(workDir));

      const again = await pulumi(workDir, ["preview", "--expect-no-changes"]);
      expectSuccess(again);
    }, 120_000);
  });

  describe("after the cutover: Pulumi owns every route again, and only the cutover moves one", () => {
    const configPath = path.join(workDir, "Pulumi.local.yaml");
    const edit = (change: (doc: YAML.Document) => void) => {
      const doc = YAML.parseDocument(fs.readFileSync(configPath, "utf8"));
      change(doc);
      fs.writeFileSync(configPath, doc.toString());
    };

    it("adds a third group and edits the second: up applies both without a field conflict, then no changes", async () => {
      const pair = JSON.parse(fs.readFileSync(endpointsPath, "utf8")) as KafkaPairEndpoints;
      await ensureSourceTopics(pair, [ADDED_GROUP.topic]);
      const [ledgerPort, billingPort] = await freePortBlocks(2, PORTS_PER_ROUTE);
      edit((doc) => {
        const groups = doc.getIn(["config", "kafka-cutover:groups"]) as YAML.YAMLSeq;
        groups.add(
          doc.createNode({
            name: ADDED_GROUP.name,
            topics: [ADDED_GROUP.topic],
            endpoint: `127.0.0.1:${ledgerPort}`,
            auth: "passthrough",
            cutover: false,
          }),
        );
        doc.setIn(["config", "kafka-cutover:groups", 1, "endpoint"], `127.0.0.1:${billingPort}`);
      });

      // The cutover applied spec.routes under its own field manager; before Pulumi declared the routes it
      // finds live and forced them back, this failed: conflict with "kafka-cutover": .spec.routes.
      const up = await pulumi(workDir, ["up", "--yes", "--skip-preview"]);
      expectSuccess(up);
      expect(up.out).not.toContain("conflict");
      expect(up.out).toMatch(/~\s+kubernetes:platform\.confluent\.io\/v1beta1:Gateway gateway-cr updated/);
      expectSuccess(await pulumi(workDir, ["preview", "--expect-no-changes"]));

      expect(await liveRoute("demo")).toMatchObject({ domain: "confluent-cloud", fenced: false });
      expect(await liveRoute("billing")).toMatchObject({
        domain: "msk",
        fenced: false,
        endpoint: `127.0.0.1:${billingPort}`,
      });
      expect(await liveRoute(ADDED_GROUP.name)).toMatchObject({
        domain: "msk",
        fenced: false,
        endpoint: `127.0.0.1:${ledgerPort}`,
      });

      // The cut-over group's clients still reach the destination: one record through its route as its app,
      // read back through the route and found on the destination at the same offset.
      await expectDemoClientsReachTheDestination();
    }, 240_000);

    it("up --target on the Gateway CR with cutover: true newly set leaves that route on the source, unfenced", async () => {
      const before = await liveRoute("billing");
      const good = fs.readFileSync(configPath, "utf8");
      try {
        edit((doc) => doc.setIn(["config", "kafka-cutover:groups", 1, "cutover"], true));
        // The CR alone: the cutover (readiness, fence, promotion) does not run, so nothing may switch.
        const targeted = await pulumi(workDir, ["up", "--yes", "--skip-preview", "--target", GATEWAY_CR_URN]);
        expectSuccess(targeted);
        expect(targeted.out).not.toMatch(/gateway-cr\s+updated/);
      } finally {
        fs.writeFileSync(configPath, good);
      }
      const after = await liveRoute("billing");
      expect(after).toEqual(before);
      expect(after).toMatchObject({ domain: "msk", fenced: false });
      const outputs = JSON.parse((await pulumi(workDir, ["stack", "output", "--json"])).out) as {
        migrationGroups: Record<string, { state: string; streamingDomain: string }>;
      };
      expect(outputs.migrationGroups.billing).toMatchObject({ state: "standing-by", streamingDomain: "msk" });
    }, 120_000);
  });

  it("keeps secrets out of the state, the outputs and the CLI's output in plain text", async () => {
    const kubeconfig = fs.readFileSync(endpoints.kubernetes?.kubeconfig ?? "", "utf8");
    const token = /token: "?([^"\s]+)/.exec(kubeconfig)?.[1] ?? "";
    // The apps' SCRAM passwords (the demo canary signs in with its app's) and API secrets (swapCredentials) too.
    const apps = Object.values(endpoints.apps ?? {}).flatMap((a) => [a.password, a.apiSecret]);
    const secrets = [endpoints.destination.apiSecret, endpoints.source.users?.["cutover-link"] ?? "", token, ...apps];
    for (const s of secrets) expect(s.length).toBeGreaterThanOrEqual(8);
    const exported = await pulumi(workDir, ["stack", "export", "--show-secrets=false"]);
    const files = allFiles(path.join(workDir, "backend")).concat(path.join(workDir, "Pulumi.local.yaml"));
    for (const secret of secrets) {
      expect(exported.out).not.toContain(secret);
      for (const f of files) expect(fs.readFileSync(f, "utf8")).not.toContain(secret);
    }
  }, 60_000);

  it("fails preview on bad config, naming the key and the fix", async () => {
    const configPath = path.join(workDir, "Pulumi.local.yaml");
    const good = fs.readFileSync(configPath, "utf8");
    const doc = YAML.parseDocument(good);
    doc.setIn(["config", "kafka-cutover:groups", 0, "topics"], []);
    fs.writeFileSync(configPath, doc.toString());
    try {
      const preview = await pulumi(workDir, ["preview"]);
      expect(preview.code).not.toBe(0);
      expect(preview.out).toContain(
        "kafka-cutover:groups[0].topics: is empty: a migration group moves at least one topic",
      );
      expect(preview.out).toContain(
        "fix: pulumi config set --path 'kafka-cutover:groups[0].topics[0]' payments.transactions",
      );
    } finally {
      fs.writeFileSync(configPath, good);
    }
  }, 120_000);

  describe("living with the stack after a cutover: a rotated key, then destroy", () => {
    const configPath = path.join(workDir, "Pulumi.local.yaml");
    const stateDir = path.dirname(endpointsPath);

    it("a new destination API key updates the link and its mirrors in place; after that up, nothing changes", async () => {
      const key = await createApiKey({ stateDir });
      await grantClusterAdmin(`User:${key.key}`);
      const doc = YAML.parseDocument(fs.readFileSync(configPath, "utf8"));
      doc.setIn(["config", "kafka-cutover:destination", "apiKey"], key.key);
      fs.writeFileSync(configPath, doc.toString());
      setStackSecret(workDir, "destinationApiSecret", key.secret);

      const up = await pulumi(workDir, ["up", "--yes", "--skip-preview"]);
      expectSuccess(up);
      expect(up.out).toMatch(/~\s+pulumi-nodejs:dynamic\/kafka-cutover:ClusterLink\s+\S+\s+updated/);
      // The summary counts nothing created, deleted or replaced (the note on destroy says "deleted" too).
      expect(up.out).not.toMatch(/^\s*[+-]+\s*\d+ (created|deleted|replaced)/m);
      expectSuccess(await pulumi(workDir, ["preview", "--expect-no-changes"]));
      expect(await demoRoute()).toMatchObject({ domain: "confluent-cloud", fenced: false });
    }, 240_000);

    it("destroy with demo cut over and the others abandoned: the link goes, the Gateway CR stays and serves demo's clients", async () => {
      const doc = YAML.parseDocument(fs.readFileSync(configPath, "utf8"));
      doc.setIn(["config", "kafka-cutover:protection"], { abandonGroups: ["billing", ADDED_GROUP.name] });
      fs.writeFileSync(configPath, doc.toString());
      expectSuccess(await pulumi(workDir, ["up", "--yes", "--skip-preview"]));

      const destroy = await pulumi(workDir, ["destroy", "--yes", "--skip-preview"]);
      expectSuccess(destroy);
      const left = JSON.parse((await pulumi(workDir, ["stack", "export"])).out) as {
        deployment: { resources?: { type: string }[] };
      };
      expect((left.deployment.resources ?? []).filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);

      // The link and its mirroring are gone; every topic stays, writable: demo's promoted, the others failed over.
      expect(await destinationRest(endpoints).findLink(LINK)).toBeUndefined();
      const pair = JSON.parse(fs.readFileSync(endpointsPath, "utf8")) as KafkaPairEndpoints;
      const admin = new Kafka(kafkajsConfig(pair.destination)).admin();
      await admin.connect();
      try {
        const topics = new Set(await admin.listTopics());
        expect([...localStackTopics(), ADDED_GROUP.topic].filter((t) => !topics.has(t))).toEqual([]);
      } finally {
        await admin.disconnect();
      }
      // Retained, the Gateway CR still leads demo's clients to the destination.
      expect(await demoRoute()).toMatchObject({ domain: "confluent-cloud", fenced: false });
      await expectDemoClientsReachTheDestination();
    }, 300_000);
  });
});
