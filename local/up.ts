import { startLocalEnvironmentWithReport } from "./environment";

async function main(): Promise<void> {
  const report = await startLocalEnvironmentWithReport();
  for (const c of report.components) {
    console.log(
      `${c.name}: ${c.alreadyRunning ? "already running" : `started in ${(c.durationMs / 1000).toFixed(1)} s`}`,
    );
    for (const line of c.summary) console.log(`  ${line}`);
  }
  console.log(`endpoints: ${report.endpointsFile}`);
  console.log(`state:     ${report.stateDir}  (stop with: npm run local:down)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
