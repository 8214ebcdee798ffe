/**
 * `npm run demo`: starts the local environment, then runs the real `pulumi preview` and `pulumi up` of
 * the local stack and prints what the stack now declares. (Cutting a group over under load arrives with
 * the cutover resource.)
 */
import * as fs from "fs";
import * as path from "path";
import { startLocalEnvironment } from "./environment";
import { LocalEndpoints, prepareLocalStack, runPulumi } from "./stack";
import { stateDir } from "./kafka/paths";

async function main(): Promise<void> {
    const started = Date.now();
    const step = (what: string) => console.log(`\n=== ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    step("starting the local environment");
    const endpointsPath = await startLocalEnvironment();
    const endpoints = JSON.parse(fs.readFileSync(endpointsPath, "utf8")) as LocalEndpoints;
    const workDir = path.join(stateDir(), "pulumi");
    prepareLocalStack({ workDir, endpoints });
    step("pulumi preview (the preflight: nothing changes)");
    if ((await runPulumi(workDir, ["preview"])) !== 0) throw new Error("pulumi preview failed");
    step("pulumi up");
    if ((await runPulumi(workDir, ["up", "--yes", "--skip-preview"])) !== 0) throw new Error("pulumi up failed");
    step("pulumi stack output");
    await runPulumi(workDir, ["stack", "output", "--json"]);
    step(`done; the environment keeps running: stop it with npm run local:down`);
}

main().catch((e: unknown) => {
    console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
});
