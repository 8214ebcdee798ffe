import { stopLocalEnvironment } from "./environment";

async function main(): Promise<void> {
  const report = await stopLocalEnvironment();
  for (const c of report.components) {
    console.log(`${c.name}:`);
    for (const line of c.summary) console.log(`  ${line}`);
  }
  console.log(`state kept in ${report.stateDir} (delete it for fresh clusters)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
