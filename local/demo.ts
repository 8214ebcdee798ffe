/**
 * `npm run demo`: starts the local environment, deploys the local stack with the real pulumi CLI (every
 * group on the source), then cuts the `demo` group over to the destination while its producers and
 * consumers run through the Gateway, and prints what the clients saw.
 */
import * as fs from "fs";
import * as path from "path";
import { cutoverUnderLoad } from "./cutoverUnderLoad";
import { startLocalEnvironment, stopLocalEnvironment } from "./environment";
import { resolveStateDir } from "./kafka";
import { LocalEndpoints, prepareLocalStack, runPulumi } from "./stack";
import { localStackGroups } from "./topics";

async function main(): Promise<void> {
  const started = Date.now();
  const step = (what: string) => console.log(`\n=== ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  step("starting a fresh local environment: two Kafka clusters, Cluster Linking, Kubernetes API and Gateway emulators");
  // The demo cuts a group over, which can be done only once per environment: start from nothing.
  await stopLocalEnvironment();
  const stateDir = resolveStateDir();
  // Only a folder that is ours: the default one, or one holding our endpoints.json.
  if (stateDir.endsWith(path.join("local", ".state")) || fs.existsSync(path.join(stateDir, "endpoints.json"))) {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
  const endpointsPath = await startLocalEnvironment();
  const endpoints = JSON.parse(fs.readFileSync(endpointsPath, "utf8")) as LocalEndpoints;
  const workDir = path.join(resolveStateDir(), "pulumi");
  prepareLocalStack({ workDir, endpoints });
  step("pulumi preview: what up will create");
  if ((await runPulumi(workDir, ["preview"])) !== 0) throw new Error("pulumi preview failed");
  step("pulumi up: the cluster link, mirror topics and the Gateway with every group on the source");
  if ((await runPulumi(workDir, ["up", "--yes", "--skip-preview"])) !== 0) throw new Error("pulumi up failed");

  const groups = localStackGroups();
  const index = groups.findIndex((g) => g.name === "demo");
  const demo = groups[index];
  step("cutting group demo over under load: pulumi preview (the preflight), then pulumi up");
  const r = await cutoverUnderLoad({
    workDir,
    endpoints,
    group: demo.name,
    groupIndex: index,
    topics: demo.topics,
    consumerGroup: demo.consumerGroups[0],
    ratePerSec: 200,
    kcat: { topic: demo.topics[1], consumerGroup: demo.consumerGroups[1], ratePerSec: 100 },
    log: (line) => console.log(`  ${line}`),
  });
  console.log(
    r.previewOutput
      .split("\n")
      .filter((l) => /preflight|GroupCutover|to update|error/.test(l))
      .map((l) => `  | ${l}`)
      .join("\n"),
  );
  console.log(
    r.upOutput
      .split("\n")
      .filter((l) => /readiness|fence|caught-up|promote|switch|canary|cut over|rolled back|error/.test(l))
      .map((l) => `  | ${l}`)
      .join("\n"),
  );
  step("what the clients saw");
  console.log(`  pulumi up: ${r.upCode === 0 ? "succeeded" : `failed (${r.upCode})`}`);
  for (const [client, c] of Object.entries(r.byClient)) {
    console.log(
      `  ${client}: acknowledged ${c.acknowledged}, consumed ${c.consumed}, sends that failed (not acknowledged) ${c.failedSends}, lost ${c.lost.length}, skipped by the consumer group ${c.skipped.length}, re-delivered ${c.redelivered}`,
    );
    console.log(
      `  ${client}: longest produce stall ${c.maxProduceStallMs} ms, longest consume gap ${c.maxConsumeGapMs} ms`,
    );
  }
  console.log(
    `  lost ${r.lost.length}, duplicated ${r.duplicated}, out of order ${r.reordered.length}, split ${r.split.length}`,
  );
  console.log(
    `summary: acknowledged=${r.acknowledged} consumed=${r.consumed} lost=${r.lost.length} duplicated=${r.duplicated} blocked_window_ms=${r.blockedWindowMs ?? -1}`,
  );
  step("done; the environment keeps running: stop it with npm run local:down");
  if (r.upCode !== 0 || r.lost.length > 0 || r.split.length > 0) process.exit(1);
}

main().catch((e: unknown) => {
  console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
