/**
 * The compiled side of dynamic/delegate.ts: what a resource's serialized `__provider` hands over to, in the
 * provider process, from `<project>/dist/dynamic/compiled.js`. It refuses a build older than its sources,
 * loads the provider module the state names from the same dist/, and makes the state follow the code: a
 * resource whose recorded `__provider` differs from the program's is updated (outputs kept as they are), so
 * refresh and delete, which run the state's copy, run this one from then on. See dynamic/README.md.
 */
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";

/** The engine's property for a dynamic resource's serialized provider. */
const PROVIDER_KEY = "__provider";
/** Written by tools/build.js after a build: when it started and which sources it compiled. */
const MANIFEST = ".build.json";
/** What `moduleId` may look like: a path inside the project, no `..`, no extension. */
const MODULE_ID = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

type Inputs = Record<string, unknown>;

/** A provider with every method, as the serialized loader calls it. */
export interface DelegatedProvider {
  check(olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: Inputs, news: Inputs): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props?: Inputs): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: Inputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, props: Inputs): Promise<void>;
}

/** Where this file was compiled to: `<root>/dist/dynamic/compiled.js`. Undefined when run from sources. */
function compiledLayout(file: string): { root: string; dist: string } | undefined {
  const dist = path.resolve(path.dirname(file), "..");
  if (!file.endsWith(".js") || path.basename(dist) !== "dist") return undefined;
  return { root: path.dirname(dist), dist };
}

/**
 * The sources the build in `dist` was made from that changed since it started (none when the sources are
 * not there, as in an artifact that ships dist/ alone). Throws when `dist` has no record of a build.
 */
export function staleSources(root: string, dist: string): string[] {
  let manifest: { startedAt: number; sources: string[] };
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dist, MANIFEST), "utf8")) as typeof manifest;
  } catch {
    throw new Error(
      `kafka-cutover: ${path.join(dist, MANIFEST)} is missing: ${dist} was not made by npm run build. Fix: run npm run build in ${root}`,
    );
  }
  return manifest.sources.filter((s) => {
    const stat = fs.statSync(path.join(root, s), { throwIfNoEntry: false });
    return stat !== undefined && stat.mtimeMs >= manifest.startedAt;
  });
}

/**
 * Refuses to run a build older than the sources beside it: a `git pull` or an edit without `npm run build`
 * would otherwise run yesterday's cutover. Called where compiled code starts: the program and the providers.
 */
export function assertBuildCurrent(root: string, dist: string): void {
  const stale = staleSources(root, dist);
  if (stale.length > 0)
    throw new Error(
      `kafka-cutover: the compiled code in ${dist} is older than its sources (${stale.slice(0, 5).join(", ")}${stale.length > 5 ? `, and ${stale.length - 5} more` : ""} changed since it was built). Fix: run npm run build in ${root}, then run pulumi again`,
    );
}

/** For the program's entry point (`<root>/dist/index.js`): checks the build it runs from, if it does. */
export function assertProgramBuildCurrent(entryFile: string): void {
  const dist = path.dirname(entryFile);
  if (entryFile.endsWith(".js") && path.basename(dist) === "dist") assertBuildCurrent(path.dirname(dist), dist);
}

let checked = false;
const providers = new Map<string, DelegatedProvider>();

/** The provider `moduleId` names, loaded from the dist/ this file is in; once per process. */
export function providerFor(moduleId: string): DelegatedProvider {
  const cached = providers.get(moduleId);
  if (cached) return cached;
  const layout = compiledLayout(__filename);
  if (!layout) throw new Error(`kafka-cutover: ${__filename} is not inside a dist/ folder made by npm run build`);
  if (!checked) {
    assertBuildCurrent(layout.root, layout.dist);
    checked = true;
  }
  const file = path.join(layout.dist, `${moduleId}.js`);
  if (!MODULE_ID.test(moduleId) || !fs.existsSync(file))
    throw new Error(
      `kafka-cutover: the state names the provider module ${moduleId}, but ${file} does not exist. Fix: run npm run build in ${layout.root}; if it still does not exist, this checkout is older than the one that deployed: check out a version that has ${moduleId}.ts`,
    );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(file) as { provider?: pulumi.dynamic.ResourceProvider };
  if (!loaded.provider) throw new Error(`kafka-cutover: ${file} exports no provider`);
  const provider = followingTheCode(loaded.provider);
  providers.set(moduleId, provider);
  return provider;
}

/** Says whether the state's serialized provider is another than the program's. */
function providerChanged(olds: Inputs, news: Inputs): boolean {
  return typeof olds[PROVIDER_KEY] === "string" && olds[PROVIDER_KEY] !== news[PROVIDER_KEY];
}

/**
 * `p` with every method, and with one rule added: when the only difference is `__provider` (state written
 * by another version of the serialized loader, such as the one that named an absolute path and needed
 * ts-node), diff says update and update returns the outputs as they were. The engine then records the new
 * `__provider` in the outputs, which is the copy refresh and delete run; a same step would not (it keeps
 * the old outputs). Nothing is called on any service for it.
 */
export function followingTheCode(p: pulumi.dynamic.ResourceProvider): DelegatedProvider {
  const innerDiff = (id: string, olds: Inputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> =>
    p.diff ? p.diff(id, olds, news) : Promise.resolve({});
  return {
    check: (olds, news) => (p.check ? p.check(olds, news) : Promise.resolve({ inputs: news })),
    diff: async (id, olds, news) => {
      const d = await innerDiff(id, olds, news);
      return d.changes === false && providerChanged(olds, news) ? { ...d, changes: true } : d;
    },
    create: (inputs) => p.create(inputs),
    read: (id, props) => (p.read ? p.read(id, props) : Promise.resolve({ id, props })),
    update: async (id, olds, news) => {
      if (providerChanged(olds, news) && (await innerDiff(id, olds, news)).changes === false) {
        const { [PROVIDER_KEY]: _old, ...outs } = olds;
        return { outs };
      }
      return p.update ? p.update(id, olds, news) : { outs: news };
    },
    delete: (id, props) => (p.delete ? p.delete(id, props) : Promise.resolve()),
  };
}
