/**
 * Secrets never leak. Every secret input of a stack on the local environment is a unique marker: the
 * source password, the destination API secret, the kubeconfig's token, the swap credentials, the canary's
 * password, and the wrong values of the failing runs. The real Pulumi CLI (engine and plugin logs on, with
 * --logflow at -v=6, the most verbose level before the engine prints inputs itself) runs preview, up, four
 * failing ups (Cluster Linking REST 401, malformed kubeconfig, the Gateway rejecting the CR, a wrong source
 * password with the canary's topic missing), the cutover with its canary, refresh, stack output and stack
 * export. Then every byte they left is searched for every marker, plain, in base64 and in hex: the CLI's
 * output, every file the engine and plugins wrote, the backend's state and history, every object in the
 * Kubernetes API but Secrets' data, and everything the emulators and brokers wrote under the state folder
 * but their credential stores. Zero findings, except two things Pulumi's own code writes, each named below.
 * (Not covered: the OAuth client secret, as the local destination takes API keys only.)
 *
 * The stack has its own link, Gateway CR, group and topic (names carry a run id), so it shares the local
 * environment with the other tests without touching what they use. To look into a failure: KC_SECRETS_KEEP=1
 * keeps the work folder and each command's output next to it; KC_SECRETS_REPORT=<file> writes the findings.
 */
import { spawn, spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AclOperationTypes, AclResourceTypes, Kafka } from "kafkajs";
import YAML from "yaml";
import { KubernetesClient } from "../../clients/kubernetes";
import { canaryGroupId } from "../../dynamic/cutover/canary";
import { createApiKey, createScramUser, deleteApiKey, kafkajsConfig, type KafkaPairEndpoints } from "../../local/kafka";
import { freePortBlocks } from "../../local/kafka/ports";
import { registerScramCredential } from "../../local/kafka/registerScram";
import { allowAll, type Grant } from "../../local/principals";
import { PORTS_PER_ROUTE } from "../../local/routes";
import { LOCAL_STACK, prepareLocalStack, pulumiEnv } from "../../local/stack";
import { ensureSourceTopics } from "../../local/topics";
import { projectRoot } from "../../local/toolchain/paths";
import { allKubeObjects } from "./helpers/kubeObjects";
import {
  Finding,
  Marker,
  describeFindings,
  newMarker,
  searchKubeObjects,
  searchText,
  searchTree,
} from "./helpers/markerSweep";
import { ClusterLinkRestClient } from "../../clients/clusterLinkRest";
import { endpointsPathOrFail, readEndpoints } from "./helpers/localEnvironment";

const endpointsPath = endpointsPathOrFail();
const endpoints = readEndpoints();
const pair = JSON.parse(fs.readFileSync(endpointsPath, "utf8")) as KafkaPairEndpoints;
const stateDir = path.dirname(endpointsPath);

const run = randomBytes(3).toString("hex");
const NAMESPACE = "confluent";
const GROUP = "sec";
const names = {
  linkUser: `kc-sec-link-${run}`,
  canaryUser: `kc-sec-app-${run}`,
  topic: `secrets-${run}.orders`,
  link: `kc-sec-${run}`,
  gateway: `kc-sec-gw-${run}`,
};
const CANARY_TOPIC = "kafka-cutover.canary";

/** Every secret input, and every wrong value a failing run is given: each a marker. */
const M = {
  sourcePassword: newMarker("sourcePassword"),
  wrongSourcePassword: newMarker("wrongSourcePassword"),
  destinationApiSecret: newMarker("destinationApiSecret"),
  wrongDestinationApiSecret: newMarker("wrongDestinationApiSecret"),
  kubeToken: newMarker("kubeconfigToken"),
  malformedKubeToken: newMarker("malformedKubeconfigToken"),
  swapSecret: newMarker("swapApiSecret"),
  canaryPassword: newMarker("canaryPassword"),
  intruderStoreValue: newMarker("intruderStoreValue"),
};
const markers: Marker[] = Object.values(M);

/** What each pulumi command printed (stdout and stderr, interleaved as they came). */
const outputs: { label: string; out: string }[] = [];

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "kc-secrets-"));
/** TMPDIR of every pulumi process: the engine and the plugins (--logflow) write their glog files there. */
const logDir = path.join(workDir, "logs");
const configPath = path.join(workDir, `Pulumi.${LOCAL_STACK}.yaml`);
const tokensFile = path.join(stateDir, "kubernetes", "tokens");
/** The most verbose level at which the Pulumi engine keeps known secrets out of its own log (DESIGN.md). */
const LOG_LEVEL = 6;

/** `out`: stdout and stderr as they came; `stdout` alone, for commands that print JSON. */
async function pulumi(label: string, args: string[]): Promise<{ code: number; out: string; stdout: string }> {
  const configArgs = ["preview", "up", "refresh"].includes(args[0]) ? ["--config-file", configPath] : [];
  const full = [...args, "--stack", LOCAL_STACK, ...configArgs, "--non-interactive", "--logflow", `-v=${LOG_LEVEL}`];
  fs.mkdirSync(logDir, { recursive: true });
  const result = await new Promise<{ code: number; out: string; stdout: string }>((resolve, reject) => {
    let out = "";
    let stdout = "";
    const child = spawn("pulumi", full, {
      cwd: projectRoot,
      env: { ...pulumiEnv(workDir), TMPDIR: logDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString("latin1");
      stdout += b.toString("latin1");
    });
    child.stderr.on("data", (b: Buffer) => (out += b.toString("latin1")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, out, stdout }));
  });
  outputs.push({ label: `pulumi ${args.join(" ")} (${label})`, out: result.out });
  if (process.env.KC_SECRETS_KEEP) fs.writeFileSync(`${workDir}.out-${outputs.length}.txt`, result.out);
  return result;
}

function tail(out: string): string {
  return out.split("\n").slice(-50).join("\n");
}

function expectSuccess(r: { code: number; out: string }): void {
  if (r.code !== 0) throw new Error(`pulumi exited ${r.code}:\n${tail(r.out)}`);
}

function expectFailure(r: { code: number; out: string }, message: RegExp): void {
  if (r.code === 0) throw new Error(`pulumi succeeded, but should have failed:\n${tail(r.out)}`);
  expect(r.out).toMatch(message);
}

function setSecret(key: string, value: string): void {
  // Through stdin, so the value never shows in a process listing.
  const r = spawnSync(
    "pulumi",
    ["config", "set", "--secret", "--config-file", configPath, "--stack", LOCAL_STACK, `kafka-cutover:${key}`],
    { cwd: projectRoot, env: pulumiEnv(workDir), input: value, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`pulumi config set ${key} failed: ${r.stdout}${r.stderr}`);
}

function editConfig(change: (doc: YAML.Document) => void): void {
  const doc = YAML.parseDocument(fs.readFileSync(configPath, "utf8"));
  change(doc);
  fs.writeFileSync(configPath, doc.toString());
}

const setCutover = (value: boolean) =>
  editConfig((doc) => doc.setIn(["config", "kafka-cutover:groups", 0, "cutover"], value));

/** The local environment's kubeconfig with another token for the same user. */
function kubeconfigWith(token: string): string {
  const doc = YAML.parse(fs.readFileSync(endpoints.kubernetes?.kubeconfig ?? "", "utf8")) as {
    users: { user: { token?: string } }[];
  };
  doc.users[0].user.token = token;
  return YAML.stringify(doc);
}

/**
 * What Pulumi's own code writes that this program cannot keep a derived secret out of (DESIGN.md, "Secrets
 * in logs"): the kubernetes provider's copy of the kubeconfig in $TMPDIR (one per Configure, never removed),
 * and the Node.js SDK's debug trace of every RegisterResource answer, which the engine logs at -v=3 and masks
 * only for values that are exactly a stack-config secret (not a canary's password taken from canaryPasswords,
 * nor `<key>/<secret>` built from swapCredentials).
 */
const SDK_RPC_TRACE = '"msg":"RegisterResource RPC finished: ';
function providerKubeconfigCopies(): Record<string, string> {
  const copies = fs.existsSync(logDir) ? fs.readdirSync(logDir).filter((f) => /^kubeconfig\d+$/.test(f)) : [];
  for (const f of copies) expect((fs.statSync(path.join(logDir, f)).mode & 0o077).toString(8)).toBe("0");
  return Object.fromEntries(copies.map((f) => [`logs/${f}`, "the kubernetes provider's copy of the kubeconfig"]));
}

/** Waits until the link reports ACTIVE again (the emulator checks the source every few seconds). */
async function linkActive(): Promise<void> {
  const d = endpoints.destination;
  const rest = new ClusterLinkRestClient({
    restEndpoint: d.restEndpoint ?? "",
    clusterId: d.clusterId ?? "",
    apiKey: d.apiKey,
    apiSecret: d.apiSecret,
  });
  let link = await rest.getLink(names.link);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; link = await rest.getLink(names.link)) {
    if (link.link_state === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`link ${names.link} is still ${JSON.stringify(link)}`);
}

const adminKube = () =>
  new KubernetesClient({ kubeconfig: fs.readFileSync(endpoints.kubernetes?.kubeconfig ?? "", "utf8") });

/** The Cluster Linking emulator's store, each link's `sasl.jaas.config` (the source credential it signs in with) left out. */
function linkStoreWithoutCredentials(): Finding[] {
  const file = path.join(stateDir, "clusterlink", "links.json");
  if (!fs.existsSync(file)) return [];
  const store = JSON.parse(fs.readFileSync(file, "utf8")) as { links: { configs: Record<string, string> }[] };
  for (const l of store.links) delete l.configs["sasl.jaas.config"];
  return searchText(JSON.stringify(store, null, 1), file, markers);
}

const { TOPIC, GROUP: ACL_GROUP, CLUSTER } = AclResourceTypes;
const { ALL, READ, WRITE, DESCRIBE, DESCRIBE_CONFIGS, IDEMPOTENT_WRITE } = AclOperationTypes;

describe("secrets never leak into outputs, state or logs", () => {
  const keys: string[] = [];
  let registration = "";

  beforeAll(async () => {
    // The source: the link's SCRAM user, whose password is a marker, with the rights MSK operators grant a link.
    await createScramUser(names.linkUser, M.sourcePassword.value, { stateDir });
    await allowAll(pair, "source", `User:${names.linkUser}`, [
      [TOPIC, "*", READ],
      [TOPIC, "*", DESCRIBE],
      [TOPIC, "*", DESCRIBE_CONFIGS],
      [ACL_GROUP, "*", READ],
      [ACL_GROUP, "*", DESCRIBE],
      [CLUSTER, "kafka-cluster", DESCRIBE],
    ]);
    await ensureSourceTopics(pair, [names.topic]);
    // The destination: the program's API key and the swap principal's, secrets as markers.
    const program = await createApiKey({ stateDir, secret: M.destinationApiSecret.value });
    const swap = await createApiKey({ stateDir, secret: M.swapSecret.value });
    keys.push(program.key, swap.key);
    await allowAll(pair, "destination", `User:${program.key}`, [
      [TOPIC, "*", ALL],
      [ACL_GROUP, "*", ALL],
      [CLUSTER, "kafka-cluster", ALL],
    ]);
    await allowAll(pair, "destination", `User:${swap.key}`, [
      ...[CANARY_TOPIC, names.topic].flatMap((t): Grant[] => [
        [TOPIC, t, READ],
        [TOPIC, t, WRITE],
        [TOPIC, t, DESCRIBE],
      ]),
      [ACL_GROUP, canaryGroupId(GROUP), READ],
      [ACL_GROUP, canaryGroupId(GROUP), DESCRIBE],
      [CLUSTER, "kafka-cluster", IDEMPOTENT_WRITE],
      [CLUSTER, "kafka-cluster", DESCRIBE],
    ]);
    const admin = new Kafka(kafkajsConfig(pair.destination)).admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(CANARY_TOPIC))
        await admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic: CANARY_TOPIC, numPartitions: 1, replicationFactor: 1 }],
        });
    } finally {
      await admin.disconnect();
    }
    // Kubernetes: one more bearer token for the emulator's user (its token-auth file).
    fs.appendFileSync(tokensFile, `${M.kubeToken.value},kafka-cutover-admin,secrets-test-${run}\n`, { mode: 0o600 });

    // The stack: Pulumi.local.yaml's settings, with this test's names, endpoints and secrets.
    prepareLocalStack({ workDir, endpoints });
    const [routePort, registrationPort] = await freePortBlocks(2, PORTS_PER_ROUTE);
    registration = `127.0.0.1:${registrationPort}`;
    editConfig((doc) => {
      doc.setIn(["config", "kafka-cutover:source", "auth", "username"], names.linkUser);
      doc.setIn(["config", "kafka-cutover:destination", "apiKey"], program.key);
      doc.setIn(["config", "kafka-cutover:link", "name"], names.link);
      doc.setIn(["config", "kafka-cutover:gateway", "name"], names.gateway);
      doc.setIn(["config", "kafka-cutover:gateway", "scramRegistrationEndpoint"], registration);
      doc.setIn(
        ["config", "kafka-cutover:groups"],
        doc.createNode([
          {
            name: GROUP,
            topics: [names.topic],
            endpoint: `127.0.0.1:${routePort}`,
            auth: "swap",
            lagThreshold: 100,
            timeouts: { readinessMs: 30000, fenceMs: 15000, promoteMs: 30000, switchMs: 30000, fenceVerifyMs: 1000 },
            canary: { topic: CANARY_TOPIC, username: names.canaryUser },
            cutover: false,
          },
        ]),
      );
    });
    setSecret("sourcePassword", M.sourcePassword.value);
    setSecret("destinationApiSecret", M.destinationApiSecret.value);
    setSecret("kubeconfig", kubeconfigWith(M.kubeToken.value));
    setSecret("swapCredentials", JSON.stringify({ [names.canaryUser]: `${swap.key}/${M.swapSecret.value}` }));
    setSecret("canaryPasswords", JSON.stringify({ [GROUP]: M.canaryPassword.value }));
  }, 120_000);

  afterAll(async () => {
    // Leave the shared environment as the other tests expect it: no extra route, link, key or token.
    const k8s = adminKube();
    for (const p of [
      `/apis/platform.confluent.io/v1beta1/namespaces/${NAMESPACE}/gateways/${names.gateway}`,
      `/api/v1/namespaces/${NAMESPACE}/configmaps/kafka-cutover-${GROUP}`,
    ])
      await k8s.request("DELETE", p, { allow404: true }).catch(() => undefined);
    // Retained by the stack (protection.gateway: retain), and the Gateway's SCRAM verifiers beside them.
    const secrets = await k8s.list(`/api/v1/namespaces/${NAMESPACE}/secrets`).catch(() => []);
    for (const o of secrets.filter((x) => x.metadata.name.startsWith(`${names.gateway}-`)))
      await k8s
        .request("DELETE", `/api/v1/namespaces/${NAMESPACE}/secrets/${o.metadata.name}`, { allow404: true })
        .catch(() => undefined);
    const d = endpoints.destination;
    if (d.restEndpoint && d.clusterId)
      await new ClusterLinkRestClient({
        restEndpoint: d.restEndpoint,
        clusterId: d.clusterId,
        apiKey: d.apiKey,
        apiSecret: d.apiSecret,
      })
        .deleteLink(names.link, { force: true })
        .catch(() => undefined);
    for (const k of keys) await deleteApiKey(k, { stateDir }).catch(() => undefined);
    if (fs.existsSync(tokensFile))
      fs.writeFileSync(
        tokensFile,
        fs
          .readFileSync(tokensFile, "utf8")
          .split("\n")
          .filter((l) => !l.startsWith(M.kubeToken.value))
          .join("\n"),
      );
    if (!process.env.KC_SECRETS_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  it("preview and up succeed with every secret a marker", async () => {
    expectSuccess(await pulumi("first", ["preview"]));
    expectSuccess(await pulumi("first", ["up", "--yes", "--skip-preview"]));
    // The canary signs in to the route as its principal: registered with the Gateway, as a team would.
    await registerScramCredential({
      bootstrap: registration,
      admin: { username: names.canaryUser, password: M.swapSecret.value },
      username: names.canaryUser,
      password: M.canaryPassword.value,
      stateDir,
    });
  }, 300_000);

  it("an up whose API secret the Cluster Linking REST API refuses (401) fails", async () => {
    setSecret("destinationApiSecret", M.wrongDestinationApiSecret.value);
    try {
      expectFailure(await pulumi("REST 401", ["up", "--yes", "--skip-preview"]), /401|Authentication failed/);
    } finally {
      setSecret("destinationApiSecret", M.destinationApiSecret.value);
    }
  }, 300_000);

  it("an up with a malformed kubeconfig fails", async () => {
    const good = kubeconfigWith(M.kubeToken.value);
    // An unterminated quote on the token's line: the parser stops right there.
    const bad = good.replace(/token: .*/, `token: "${M.malformedKubeToken.value}\n  oops: [`);
    setSecret("kubeconfig", bad);
    try {
      expectFailure(await pulumi("malformed kubeconfig", ["up", "--yes", "--skip-preview"]), /kubeconfig/i);
    } finally {
      setSecret("kubeconfig", good);
    }
  }, 300_000);

  it("an up whose fence the Gateway rejects fails and rolls back", async () => {
    // Someone else's entry in the swap store, not <apiKey>/<apiSecret>: the Gateway refuses the whole CR.
    const k8s = adminKube();
    const store = `/api/v1/namespaces/${NAMESPACE}/secrets/${names.gateway}-swap-credentials`;
    const secret = (data: Record<string, string>) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: `${names.gateway}-swap-credentials`, namespace: NAMESPACE },
      data,
    });
    await k8s.apply(store, secret({ intruder: Buffer.from(M.intruderStoreValue.value).toString("base64") }), "team");
    setCutover(true);
    try {
      expectFailure(
        await pulumi("Gateway rejection", ["up", "--yes", "--skip-preview"]),
        /the Gateway (reports its current config rejected|rejected generation)/,
      );
    } finally {
      setCutover(false);
      await k8s.request("PATCH", store, {
        body: JSON.stringify({ data: { intruder: null } }),
        contentType: "application/merge-patch+json",
        query: { fieldManager: "team" },
      });
    }
  }, 300_000);

  it("an up with a wrong source password (and no canary topic) fails, naming both", async () => {
    setSecret("sourcePassword", M.wrongSourcePassword.value);
    setCutover(true);
    // A preflight failure on the canary: the engine printed the property it names, the canary's password in it.
    const canaryTopic = ["config", "kafka-cutover:groups", 0, "canary", "topic"];
    editConfig((doc) => doc.setIn(canaryTopic, `${CANARY_TOPIC}-missing`));
    try {
      const up = await pulumi("wrong source password", ["up", "--yes", "--skip-preview"]);
      expectFailure(up, /source/i);
      expect(up.out).toContain(`canary: the canary topic ${CANARY_TOPIC}-missing does not exist on the destination`);
    } finally {
      editConfig((doc) => doc.setIn(canaryTopic, CANARY_TOPIC));
      setCutover(false);
      setSecret("sourcePassword", M.sourcePassword.value);
    }
    // The link took the wrong password too: the next up gives it the right one, and it recovers.
    expectSuccess(await pulumi("repair", ["up", "--yes", "--skip-preview"]));
    await linkActive();
  }, 300_000);

  it("an up cuts the group over and its canary passes; refresh, stack output and stack export succeed", async () => {
    setCutover(true);
    const up = await pulumi("cutover", ["up", "--yes", "--skip-preview"]);
    expectSuccess(up);
    expectSuccess(await pulumi("after the cutover", ["refresh", "--yes"]));
    expectSuccess(await pulumi("plain", ["stack", "output", "--json"]));
    const exported = await pulumi("plain", ["stack", "export"]);
    expectSuccess(exported);
    const timeline = (
      JSON.parse(exported.stdout) as {
        deployment: { resources: { type: string; outputs?: { timeline?: { step: string; outcome: string }[] } }[] };
      }
    ).deployment.resources.find((r) => r.type.endsWith("GroupCutover"))?.outputs?.timeline;
    expect(timeline?.map((t) => [t.step, t.outcome]).slice(-2)).toEqual([
      ["switch", "done"],
      ["canary", "done"],
    ]);
  }, 300_000);

  it("leaves no marker anywhere: CLI output, engine and plugin logs, state, Kubernetes objects, emulator logs", async () => {
    const findings: Finding[] = [
      ...outputs.flatMap((o) => searchText(o.out, o.label, markers)),
      // The backend (state, history, backups), the engine's and plugins' logs, the stack's config file.
      ...searchTree(workDir, markers, {
        exclude: { "home/plugins": "plugin binaries installed before the runs", ...providerKubeconfigCopies() },
        skipLine: (rel, line) =>
          rel.startsWith("logs/") && line.includes(SDK_RPC_TRACE)
            ? "the Node.js SDK's debug trace of a RegisterResource answer (DESIGN.md)"
            : undefined,
      }),
      ...searchKubeObjects(await allKubeObjects(adminKube()), markers),
      // Whatever the emulators and brokers wrote, except the credential stores they keep by design.
      ...searchTree(stateDir, markers, {
        exclude: {
          "kafka/destination/api-keys": "the destination's API keys: the credential store of the PLAIN logins",
          "kubernetes/tokens": "the Kubernetes API's token-auth file",
          "kubernetes/store.json": "the API's objects, Secrets included; searched through the API above",
          "clusterlink/links.json": "the links as Confluent Cloud keeps them; searched below without the credential",
        },
      }),
      ...linkStoreWithoutCredentials(),
    ];
    if (process.env.KC_SECRETS_REPORT) fs.writeFileSync(process.env.KC_SECRETS_REPORT, describeFindings(findings));
    if (findings.length > 0) throw new Error(`${findings.length} marker(s) found:\n${describeFindings(findings)}`);
  }, 120_000);
});
