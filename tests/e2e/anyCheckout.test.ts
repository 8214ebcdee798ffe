/**
 * Any checkout, any runner (#15): the state names no folder of the checkout that deployed it and needs no
 * dev dependency. With the real CLI on the local environment, checkout A (a copy of this one with its dev
 * dependencies, built with npm run build) deploys a small stack: a link with one group's two mirror topics, the
 * group standing by (its cutover resource and Gateway CR). A is deleted. Checkout B, a fresh copy installed with
 * `npm ci --omit=dev --omit=optional` (npm keeps ts-node under --omit=dev alone, as an optional peer of
 * @pulumi/pulumi) and built with npm run build, refreshes, previews no changes, and takes a topic out of the
 * group: refresh's reads, the preview's checks and diffs, and the MirrorTopic's delete all run in B.
 *
 * Its own link, topics and Gateway CR (namespace default, which the Gateway emulator does not serve), so it
 * shares the environment with localStack.test.ts without touching what that one deploys.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Kafka } from "kafkajs";
import YAML from "yaml";
import { kafkajsConfig, type KafkaPairEndpoints } from "../../local/kafka";
import { LOCAL_STACK, prepareLocalStack, pulumiEnv } from "../../local/stack";
import { destinationRest, endpointsPathOrFail, readEndpoints } from "./helpers/localEnvironment";

const endpointsPath = endpointsPathOrFail();
const endpoints = readEndpoints();
const pair = JSON.parse(fs.readFileSync(endpointsPath, "utf8")) as KafkaPairEndpoints;

const repo = path.resolve(__dirname, "../..");
// Names of this run's own: a re-run on the same environment never meets an earlier run's topics (deleting
// them under the emulator's long-lived clients breaks it, see localStack.test.ts).
const RUN = Date.now().toString(36);
const LINK = `any-checkout-${RUN}`;
const GROUP = "ckout";
const [KEPT, REMOVED] = [`ckout-${RUN}.a`, `ckout-${RUN}.b`];
const TOPICS = [KEPT, REMOVED];

interface ExportedState {
  deployment: {
    resources: { type: string; inputs?: { __provider?: string }; outputs?: { __provider?: string } }[];
  };
}

/** Runs a command, resolving with its exit code and output (never rejects on a non-zero exit). */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  const started = Date.now();
  const what = `${path.basename(cwd)}: ${path.basename(cmd)} ${args.slice(0, 2).join(" ")}`;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      // Where the time goes, for the CI log (nothing asserts on it).
      process.stdout.write(`[any-checkout] ${what}: exit ${code}, ${Math.round((Date.now() - started) / 1000)} s\n`);
      resolve({ code: code ?? 1, out });
    });
  });
}

function expectSuccess(what: string, r: { code: number; out: string }): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.out.split("\n").slice(-60).join("\n")}`);
}

/** A checkout as git leaves one: the project's files, without node_modules, dist/ or local state. */
function copyCheckout(to: string): string {
  const skip = new Set(["node_modules", "dist", ".git", "coverage", path.join("local", ".state")]);
  fs.cpSync(repo, to, { recursive: true, filter: (src) => !skip.has(path.relative(repo, src)) });
  return to;
}

/** This run's source topics. */
async function createSourceTopics(): Promise<void> {
  const source = new Kafka(kafkajsConfig(pair.source)).admin();
  await source.connect();
  try {
    await source.createTopics({ topics: TOPICS.map((topic) => ({ topic, numPartitions: 2 })) });
  } finally {
    await source.disconnect();
  }
}

/**
 * The local stack's config, cut down to this test's stack: one passthrough group of two topics on a link
 * of its own, its Gateway CR in namespace default. The group is abandoned (protection.abandonGroups) so that
 * deleting one of its mirrors fails it over instead of being refused, and the delete really runs.
 */
function writeStackConfig(configFile: string, topics: string[]): void {
  const doc = YAML.parseDocument(fs.readFileSync(configFile, "utf8"));
  doc.setIn(["config", "kafka-cutover:link", "name"], LINK);
  doc.setIn(["config", "kafka-cutover:gateway", "namespace"], "default");
  doc.setIn(["config", "kafka-cutover:gateway", "name"], `${LINK}-gateway`);
  doc.setIn(
    ["config", "kafka-cutover:groups"],
    doc.createNode([
      {
        name: GROUP,
        topics,
        consumerGroups: [`${GROUP}-service`],
        endpoint: "127.0.0.1:9",
        auth: "passthrough",
        cutover: false,
      },
    ]),
  );
  doc.setIn(["config", "kafka-cutover:protection"], doc.createNode({ abandonGroups: [GROUP] }));
  // Only the groups above exist: no canary, no swap route.
  doc.deleteIn(["config", "kafka-cutover:canaryPasswords"]);
  fs.writeFileSync(configFile, doc.toString());
}

describe("a stack deployed from one checkout", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "kc-any-checkout-"));
  const workDir = path.join(work, "pulumi");
  let configFile = "";
  let install: Promise<unknown> | undefined;
  const pulumi = (checkout: string, args: string[]) =>
    run(
      "pulumi",
      [
        ...args,
        "--stack",
        LOCAL_STACK,
        ...(args[0] === "stack" ? [] : ["--config-file", configFile]),
        "--non-interactive",
      ],
      checkout,
      pulumiEnv(workDir),
    );

  beforeAll(async () => {
    await createSourceTopics();
    configFile = prepareLocalStack({ workDir, endpoints });
    writeStackConfig(configFile, TOPICS);
  }, 120_000);
  afterAll(async () => {
    await install?.catch(() => undefined);
    await destinationRest(endpoints)
      .deleteLink(LINK, { force: true })
      .catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it("is refreshed, previewed and updated from another checkout without dev dependencies, after the first is deleted", async () => {
    const a = copyCheckout(path.join(work, "checkout-a"));
    const b = copyCheckout(path.join(work, "checkout-b"));
    fs.symlinkSync(fs.realpathSync(path.join(repo, "node_modules")), path.join(a, "node_modules"));
    const env = { ...process.env };
    // B installs while A builds and deploys: npm's cache serves the packages (no network beyond the registry).
    const installing = run(
      "npm",
      ["ci", "--omit=dev", "--omit=optional", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"],
      b,
      env,
    );
    install = installing;

    // What npm run build runs; through node here, so npm never looks into the node_modules A borrows.
    expectSuccess("npm run build in A", await run(process.execPath, ["tools/build.js"], a, env));
    expectSuccess("pulumi up in A", await pulumi(a, ["up", "--yes", "--skip-preview"]));
    const rest = destinationRest(endpoints);
    expect((await rest.getLink(LINK)).link_state).toBe("ACTIVE");
    const deployed = Object.fromEntries(
      (await rest.listMirrors(LINK)).map((m) => [m.mirror_topic_name, m.mirror_status]),
    );
    expect(deployed).toEqual({ [KEPT]: "ACTIVE", [REMOVED]: "ACTIVE" });
    // No resource's serialized provider names a folder or ts-node, and nothing in the state names A's folder
    // (resources' source positions are relative to the project).
    const state = await pulumi(a, ["stack", "export"]);
    expectSuccess("pulumi stack export", state);
    expect(state.out).not.toContain(a);
    const providers = (JSON.parse(state.out) as ExportedState).deployment.resources
      .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"))
      .flatMap((r) => [r.inputs?.__provider, r.outputs?.__provider]);
    expect(providers).toHaveLength(2 * 4); // the link, two mirror topics, the group's cutover
    for (const p of providers) {
      expect(p).toContain('moduleId: "dynamic/');
      expect(p).not.toContain(repo);
      expect(p).not.toMatch(/ts-node/);
    }
    fs.rmSync(a, { recursive: true, force: true });

    expectSuccess("npm ci --omit=dev --omit=optional in B", await installing);
    for (const dev of ["ts-node", "jest", "@types/jest"])
      expect([dev, fs.existsSync(path.join(b, "node_modules", dev))]).toEqual([dev, false]);
    expectSuccess("npm run build in B", await run("npm", ["run", "build"], b, env));

    const refresh = await pulumi(b, ["refresh", "--yes"]);
    expectSuccess("pulumi refresh in B", refresh);
    expect(refresh.out).not.toContain("Cannot find module");
    expectSuccess("pulumi preview --expect-no-changes in B", await pulumi(b, ["preview", "--expect-no-changes"]));

    writeStackConfig(configFile, [KEPT]);
    const up = await pulumi(b, ["up", "--yes", "--skip-preview"]);
    expectSuccess("pulumi up in B", up);
    expect(up.out).toContain(`MirrorTopic link-${REMOVED} deleted`);
    // The delete ran B's provider: the abandoned group's mirror is failed over, the other one mirrors on.
    const after = Object.fromEntries((await rest.listMirrors(LINK)).map((m) => [m.mirror_topic_name, m.mirror_status]));
    expect(after[KEPT]).toBe("ACTIVE");
    expect(["STOPPED", undefined]).toContain(after[REMOVED]);
  }, 600_000);
});
