/**
 * The delegating provider loads its TypeScript implementation in the provider process, registering ts-node
 * first. ts-node's register() builds a new compiler and wraps the .ts loader every time it is called, so doing
 * it per RPC made a 100-topic stack's provider process run out of heap. Run in a clean Node process (jest
 * has its own module system), counting register() calls over many RPCs.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";

const repo = path.resolve(__dirname, "../../..");

function registrationsOver(rpcs: number, tsNodeAlreadyRegistered: boolean): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "delegate-"));
  try {
    const source = fs.readFileSync(path.join(repo, "dynamic/delegate.ts"), "utf8");
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    fs.writeFileSync(path.join(dir, "delegate.js"), js.outputText);
    fs.writeFileSync(
      path.join(dir, "impl.ts"),
      "export const provider = { async check(_o: unknown, n: unknown) { return { inputs: n }; }, async create() { return { id: 'x' }; } };\n",
    );
    const script = `
      const tsnode = require(${JSON.stringify(require.resolve("ts-node"))});
      const register = tsnode.register;
      let calls = 0;
      tsnode.register = (o) => { calls++; return register(o); };
      if (${tsNodeAlreadyRegistered}) { register({ transpileOnly: true }); }
      const { delegatingProvider } = require(${JSON.stringify(path.join(dir, "delegate.js"))});
      const p = delegatingProvider(${JSON.stringify(path.join(dir, "impl.ts"))});
      (async () => {
        for (let i = 0; i < ${rpcs}; i++) await p.check({}, { n: i });
        console.log(calls);
      })();
    `;
    const r = spawnSync(process.execPath, ["-e", script], {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, NODE_PATH: path.join(repo, "node_modules") },
    });
    if (r.status !== 0) throw new Error(r.stderr);
    return Number(r.stdout.trim());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("the delegating provider", () => {
  it("registers ts-node once in a provider process, however many RPCs it serves", () => {
    expect(registrationsOver(50, false)).toBe(1);
  });

  it("does not register it again where it is registered already (the program's own process)", () => {
    expect(registrationsOver(5, true)).toBe(0);
  });
});
