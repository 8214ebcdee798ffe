#!/usr/bin/env node
// @ts-check
/**
 * `npm run build` (also npm's `prepare`): compiles the program and its dynamic providers into dist/, which
 * is what `pulumi` runs (package.json `main`) and what every resource's `__provider` loads (dynamic/delegate.ts).
 *
 * Plain JavaScript and only `typescript` (a production dependency), so a runner installed with
 * `npm ci --omit=dev` can build. Each file listed by tsconfig.build.json is transpiled on its own with that
 * file's options (`isolatedModules` guarantees this is tsc's output): seconds instead of tsc's half-minute of
 * loading every declaration file. Type checking is `npm run lint`'s job, not the build's (DESIGN.md).
 *
 *   node tools/build.js            build when a source is newer than the last build (or dist/ is absent)
 *   node tools/build.js --force    build anyway
 */
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const root = path.resolve(__dirname, "..");
const configPath = path.join(root, "tsconfig.build.json");
/** Written last: what was built and when; dynamic/compiled.ts reads it to refuse a stale build. */
const MANIFEST = ".build.json";

function main() {
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  if (parsed.errors.length > 0)
    throw new Error(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n"));
  const options = parsed.options;
  const outDir = /** @type {string} */ (options.outDir);
  const rootDir = /** @type {string} */ (options.rootDir);
  const sources = parsed.fileNames.filter((f) => !f.endsWith(".d.ts"));
  const relative = sources.map((f) => path.relative(rootDir, f).split(path.sep).join("/"));

  if (!process.argv.includes("--force") && upToDate(outDir, rootDir, relative)) return;

  const startedAt = Date.now();
  const written = new Set();
  for (const [i, file] of sources.entries()) {
    const out = path.join(outDir, relative[i].replace(/\.ts$/, ".js"));
    const result = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      compilerOptions: { ...options, sourceMap: true, inlineSourceMap: false, noEmit: false },
      fileName: file,
      reportDiagnostics: true,
    });
    const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0)
      throw new Error(`${relative[i]}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; ")}`);
    // The map names its source relative to where the map lies, so stack traces point at the .ts file.
    const map = JSON.parse(/** @type {string} */ (result.sourceMapText));
    map.sources = [path.relative(path.dirname(out), file).split(path.sep).join("/")];
    writeAtomically(out, result.outputText);
    writeAtomically(`${out}.map`, JSON.stringify(map));
    written.add(out).add(`${out}.map`);
  }
  removeOrphans(outDir, written);
  writeAtomically(path.join(outDir, MANIFEST), JSON.stringify({ startedAt, sources: relative }, null, 1) + "\n");
  console.log(`built ${sources.length} files into ${path.relative(root, outDir)}/ in ${Date.now() - startedAt} ms`);
}

/** The same sources as the last build, each older than its start and compiled: nothing to do. */
function upToDate(outDir, rootDir, relative) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST), "utf8"));
  } catch {
    return false;
  }
  if (JSON.stringify(manifest.sources) !== JSON.stringify(relative)) return false;
  return relative.every(
    (r) =>
      fs.statSync(path.join(rootDir, r)).mtimeMs < manifest.startedAt &&
      fs.existsSync(path.join(outDir, r.replace(/\.ts$/, ".js"))),
  );
}

/**
 * Through a temporary file and a rename: a provider process or program reading dist/ while another build
 * runs (two test files preparing the local stack) sees the old file or the new one, never half of one.
 */
function writeAtomically(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Compiled files whose source is gone would still load: remove them. */
function removeOrphans(dir, keep) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      removeOrphans(p, keep);
      if (fs.readdirSync(p).length === 0) fs.rmdirSync(p);
    } else if ((p.endsWith(".js") || p.endsWith(".js.map")) && !keep.has(p)) fs.rmSync(p, { force: true });
  }
}

try {
  main();
} catch (e) {
  console.error(`npm run build failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
