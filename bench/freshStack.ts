/**
 * A fresh local environment and local stack holding one bench group, standing by on the source: a cutover is
 * one-way, so every run starts from empty clusters and emulators, as `npm test` does.
 */
import * as fs from "fs";
import * as path from "path";
import { startLocalEnvironment, stopLocalEnvironment } from "../local/environment";
import { LocalEndpoints, prepareLocalStack, runPulumi } from "../local/stack";
import { projectRoot } from "../local/toolchain/paths";
import { BenchGroup, benchStackConfig } from "./benchGroup";

export interface FreshStack {
  readonly stateDir: string;
  readonly workDir: string;
  readonly endpoints: LocalEndpoints;
  /** `pulumi up` that deployed the link, mirrors and the Gateway CR, in ms. */
  readonly deployMs: number;
}

/** Stops whatever runs in `stateDir`, empties it, starts the environment for `group` and deploys the stack. */
export async function freshStack(
  stateDir: string,
  group: BenchGroup,
  log: (line: string) => void,
): Promise<FreshStack> {
  await stopLocalEnvironment({ stateDir });
  fs.rmSync(stateDir, { recursive: true, force: true });
  fs.mkdirSync(stateDir, { recursive: true });
  // Read by local/topics.ts, routes.ts and stack.ts (see local/stackConfigPath.ts).
  const stackConfig = path.join(path.dirname(stateDir), `Pulumi.${group.name}.yaml`);
  fs.writeFileSync(
    stackConfig,
    benchStackConfig(fs.readFileSync(path.join(projectRoot, "Pulumi.local.yaml"), "utf8"), group),
  );
  process.env.KAFKA_CUTOVER_STACK_CONFIG = stackConfig;
  process.env.KAFKA_CUTOVER_STATE = stateDir;
  const endpointsPath = await startLocalEnvironment({ stateDir });
  const endpoints = JSON.parse(fs.readFileSync(endpointsPath, "utf8")) as LocalEndpoints;
  const workDir = path.join(stateDir, "pulumi");
  prepareLocalStack({ workDir, endpoints });
  log(`deploying ${group.topics.length} mirror topic(s) and the Gateway route with pulumi up`);
  const started = Date.now();
  let out = "";
  const code = await runPulumi(workDir, ["up", "--yes", "--skip-preview"], (c) => {
    out += c;
  });
  if (code !== 0)
    throw new Error(`deploying the bench stack failed (${code}):\n${out.split("\n").slice(-30).join("\n")}`);
  return { stateDir, workDir, endpoints, deployMs: Date.now() - started };
}

export async function stopStack(stateDir: string): Promise<void> {
  await stopLocalEnvironment({ stateDir });
}
