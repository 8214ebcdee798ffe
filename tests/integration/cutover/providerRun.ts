/** Starts providerProcess.ts for some inputs, and lets a test wait for it, kill it or interrupt it. */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CutoverInputs } from "../../../dynamic/cutover";

export interface ProviderOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly ok?: boolean;
  readonly error?: string;
  readonly outs?: { state?: string; timeline?: { step: string; outcome: string; detail?: string }[] };
}

export interface ProviderRun {
  readonly child: ChildProcess;
  readonly done: Promise<ProviderOutcome>;
}

export function startProvider(inputs: CutoverInputs): ProviderRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cutover-run-"));
  const file = path.join(dir, "inputs.json");
  fs.writeFileSync(file, JSON.stringify(inputs), { mode: 0o600 }); // holds credentials: owner only
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(__dirname, "providerProcess.ts")],
    { env: { ...process.env, CUTOVER_INPUTS: file }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<ProviderOutcome>((resolve) => {
    child.on("exit", (code, signal) => {
      fs.rmSync(dir, { recursive: true, force: true });
      const last = stdout.trim().split("\n").pop() ?? "";
      let parsed: Omit<ProviderOutcome, "code" | "signal"> = {};
      try {
        parsed = JSON.parse(last) as typeof parsed;
      } catch {
        parsed = { error: `no outcome printed; stderr: ${stderr.slice(-2000)}` };
      }
      resolve({ code, signal, ...parsed });
    });
  });
  return { child, done };
}

/** Polls `condition` every 20 ms until it holds; fails if `run` ends first or the deadline passes. */
export async function when(run: ProviderRun, condition: () => Promise<boolean>, what: string, timeoutMs = 60_000) {
  let ended: ProviderOutcome | undefined;
  void run.done.then((o) => (ended = o));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (ended) throw new Error(`the cutover ended before ${what}: ${JSON.stringify(ended)}`);
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
