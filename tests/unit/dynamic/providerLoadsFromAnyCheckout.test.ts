/**
 * What a dynamic resource's `__provider` holds, and how a provider process runs it (dynamic/delegate.ts,
 * dynamic/compiled.ts). The serialized text runs here as Pulumi's provider host runs it: in a clean Node
 * process whose working directory is a project folder, with no node_modules at all (so no ts-node), loading
 * the compiled code of that folder.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { delegatingProvider } from "../../../dynamic/delegate";
import { followingTheCode } from "../../../dynamic/compiled";

const repo = path.resolve(__dirname, "../../..");

async function serialized(moduleId: string): Promise<string> {
  const p = delegatingProvider(moduleId);
  return (await pulumi.runtime.serializeFunction(() => p)).text;
}

/** A project folder with dist/ as `npm run build` leaves it, holding dynamic/compiled.js and one provider. */
function projectWithBuild(): { root: string; touchSource(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "kc-checkout-"));
  fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: kafka-cutover\nruntime: nodejs\n");
  const dist = path.join(root, "dist");
  fs.mkdirSync(path.join(dist, "dynamic", "fake"), { recursive: true });
  const compiled = ts.transpileModule(fs.readFileSync(path.join(repo, "dynamic/compiled.ts"), "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  fs.writeFileSync(path.join(dist, "dynamic", "compiled.js"), compiled.outputText);
  fs.writeFileSync(
    path.join(dist, "dynamic", "fake", "impl.js"),
    "exports.provider = { async check(_o, n) { return { inputs: { ...n, loadedFrom: __filename } }; }, async create() { return { id: 'x' }; } };\n",
  );
  fs.mkdirSync(path.join(root, "dynamic", "fake"), { recursive: true });
  const source = path.join(root, "dynamic", "fake", "impl.ts");
  fs.writeFileSync(source, "// the source of impl.js\n");
  const builtAt = Date.now() + 1000;
  fs.utimesSync(source, new Date(builtAt - 60_000), new Date(builtAt - 60_000));
  fs.writeFileSync(
    path.join(dist, ".build.json"),
    JSON.stringify({ startedAt: builtAt, sources: ["dynamic/fake/impl.ts"] }),
  );
  return { root, touchSource: () => fs.utimesSync(source, new Date(builtAt + 5000), new Date(builtAt + 5000)) };
}

/** Runs `__provider` text's check in a clean Node process started in `cwd`; its answer or its error. */
function checkIn(cwd: string, providerText: string): { result?: Record<string, unknown>; error?: string } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kc-provider-")), "provider.js");
  fs.writeFileSync(file, providerText);
  const script = `
    let tsNode = "absent"; try { require.resolve("ts-node"); tsNode = "present"; } catch {}
    Promise.resolve().then(() => require(${JSON.stringify(file)}).handler().check({}, { n: 1 })).then(
      (r) => console.log(JSON.stringify({ result: { ...r.inputs, tsNode } })),
      (e) => console.log(JSON.stringify({ error: e.message })),
    );`;
  const r = spawnSync(process.execPath, ["-e", script], { cwd, encoding: "utf8", env: { PATH: process.env.PATH } });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim()) as { result?: Record<string, unknown>; error?: string };
}

describe("a dynamic resource's serialized provider", () => {
  it("names no folder of the checkout that deployed and no ts-node, and stays small", async () => {
    const text = await serialized("dynamic/clusterLink/mirrorTopicProvider");
    expect(text).toContain('"dynamic/clusterLink/mirrorTopicProvider"');
    expect(text).not.toContain(repo);
    expect(text).not.toContain(os.tmpdir());
    expect(text).not.toMatch(/ts-node/);
    // A stack may hold thousands of mirror topics, each with its own copy.
    expect(text.length).toBeLessThan(4000);
  });

  it("loads the module it names from the compiled code of the folder the provider process runs in, without node_modules", async () => {
    const text = await serialized("dynamic/fake/impl");
    const { root } = projectWithBuild();
    try {
      const fromRoot = checkIn(root, text);
      expect(fromRoot.error).toBeUndefined();
      expect(fromRoot.result).toMatchObject({ n: 1, tsNode: "absent" });
      expect(fromRoot.result?.loadedFrom).toBe(path.join(fs.realpathSync(root), "dist", "dynamic", "fake", "impl.js"));
      // Started below the project folder (as with Pulumi.yaml `main: dist/...`): found by walking up to Pulumi.yaml.
      expect(checkIn(path.join(root, "dist", "dynamic"), text).result).toMatchObject({ n: 1 });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("without a build, fails saying what is missing, where it looked and the command that builds it", async () => {
    const text = await serialized("dynamic/fake/impl");
    const { root } = projectWithBuild();
    try {
      fs.rmSync(path.join(root, "dist"), { recursive: true });
      const { error } = checkIn(root, text);
      expect(error).toContain("cannot load the dynamic provider dynamic/fake/impl: the compiled code is missing");
      expect(error).toContain(path.join("dist", "dynamic", "compiled.js"));
      expect(error).toContain("npm run build");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("refuses a build older than its sources, naming the changed source and npm run build", async () => {
    const text = await serialized("dynamic/fake/impl");
    const project = projectWithBuild();
    try {
      project.touchSource();
      const { error } = checkIn(project.root, text);
      expect(error).toContain("is older than its sources (dynamic/fake/impl.ts changed since it was built)");
      expect(error).toContain("npm run build");
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });

  it("refuses a module the build does not have, saying how to get it", async () => {
    const { root } = projectWithBuild();
    try {
      const { error } = checkIn(root, await serialized("dynamic/fake/gone"));
      expect(error).toContain("the state names the provider module dynamic/fake/gone, but");
      expect(error).toContain("npm run build");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("every provider module the program names exists and exports a provider", () => {
    const ids = [
      "dynamic/clusterLink/clusterLink.ts",
      "dynamic/clusterLink/mirrorTopic.ts",
      "dynamic/cutover/resource.ts",
    ]
      .map((f) => fs.readFileSync(path.join(repo, f), "utf8"))
      .flatMap((src) => [...src.matchAll(/delegatingProvider\("([^"]+)"\)/g)].map((m) => m[1]));
    expect(ids.sort()).toEqual([
      "dynamic/clusterLink/linkProvider",
      "dynamic/clusterLink/mirrorTopicProvider",
      "dynamic/cutover/provider",
    ]);
    for (const id of ids) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const m = require(path.join(repo, id)) as { provider?: pulumi.dynamic.ResourceProvider };
      expect([id, typeof m.provider?.create]).toEqual([id, "function"]);
    }
  });
});

describe("state written by another serialized provider", () => {
  const calls: string[] = [];
  const inner: pulumi.dynamic.ResourceProvider = {
    async diff(_id, olds: Record<string, unknown>, news: Record<string, unknown>) {
      calls.push("diff");
      return { changes: olds.size !== news.size };
    },
    async create() {
      return { id: "x" };
    },
    async update(_id, _olds, news: Record<string, unknown>) {
      calls.push("update");
      return { outs: { ...news, updatedBy: "inner" } };
    },
  };
  const p = followingTheCode(inner);
  beforeEach(() => calls.splice(0));

  it("is updated when only __provider differs, so refresh and delete then run the program's copy", async () => {
    const olds = { size: 1, status: "ACTIVE", __provider: "old: /home/someone/checkout + ts-node" };
    const news = { size: 1, __provider: "new" };
    expect(await p.diff("x", olds, news)).toMatchObject({ changes: true });
    // The update records the outputs as they were (the engine adds the new __provider); nothing else runs.
    expect(await p.update("x", olds, news)).toEqual({ outs: { size: 1, status: "ACTIVE" } });
    expect(calls).toEqual(["diff", "diff"]);
  });

  it("is left alone when __provider is the program's and nothing else changed", async () => {
    expect(await p.diff("x", { size: 1, __provider: "new" }, { size: 1, __provider: "new" })).toMatchObject({
      changes: false,
    });
  });

  it("runs the provider's own update when its inputs changed too", async () => {
    const out = await p.update("x", { size: 1, __provider: "old" }, { size: 2, __provider: "new" });
    expect(out).toEqual({ outs: { size: 2, __provider: "new", updatedBy: "inner" } });
    expect(calls).toEqual(["diff", "update"]);
  });
});
