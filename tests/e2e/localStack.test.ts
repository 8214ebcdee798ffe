/**
 * The real Pulumi CLI (built from the Go module proxy) runs the program on the local stack, offline, on
 * the file backend: preview, up, and a second preview that must show no changes. Bad config must fail
 * preview with the key and the fix.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { LocalEndpoints, prepareLocalStack, runPulumi } from "../../local/stack";

const endpointsPath = process.env.KAFKA_CUTOVER_ENDPOINTS;
if (!endpointsPath) throw new Error("KAFKA_CUTOVER_ENDPOINTS is not set: run through npm test, or start the environment with npm run local:up");
const endpoints = JSON.parse(fs.readFileSync(endpointsPath, "utf8")) as LocalEndpoints;

async function pulumi(workDir: string, args: string[]): Promise<{ code: number; out: string }> {
    let out = "";
    const code = await runPulumi(workDir, args, (chunk) => { out += chunk; });
    return { code, out };
}

function allFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? allFiles(p) : [p];
    });
}

describe("the local stack under the real pulumi CLI", () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "kc-e2e-"));
    afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

    it("previews, applies, then previews no changes, offline", async () => {
        prepareLocalStack({ workDir, endpoints });

        const preview = await pulumi(workDir, ["preview"]);
        expect(preview.out).toContain("kafka-cutover:index:MigrationGroup");
        expect(preview.code).toBe(0);
        expect(preview.out).toMatch(/\+ \d+ to create/);

        const up = await pulumi(workDir, ["up", "--yes", "--skip-preview"]);
        expect(up.code).toBe(0);
        expect(up.out).toMatch(/\+ \d+ created/);

        const again = await pulumi(workDir, ["preview", "--expect-no-changes"]);
        expect(again.code).toBe(0);
        expect(again.out).toMatch(/\d+ unchanged/);

        const outputs = await pulumi(workDir, ["stack", "output", "--json"]);
        const parsed = JSON.parse(outputs.out) as { migrationGroups: Record<string, { endpoint: string; state: string }> };
        expect(parsed.migrationGroups.demo).toMatchObject({ endpoint: endpoints.gateway?.routes.demo, state: "on-source" });
    }, 240_000);

    it("keeps secrets out of the state, the outputs and the CLI's output in plain text", async () => {
        const kubeconfig = fs.readFileSync(endpoints.kubernetes?.kubeconfig ?? "", "utf8");
        const token = /token: "?([^"\s]+)/.exec(kubeconfig)?.[1] ?? "";
        const secrets = [endpoints.destination.apiSecret, endpoints.source.users?.["cutover-link"] ?? "", token];
        for (const s of secrets) expect(s.length).toBeGreaterThanOrEqual(8);
        const exported = await pulumi(workDir, ["stack", "export", "--show-secrets=false"]);
        const files = allFiles(path.join(workDir, "backend")).concat(path.join(workDir, "Pulumi.local.yaml"));
        for (const secret of secrets) {
            expect(exported.out).not.toContain(secret);
            for (const f of files) expect(fs.readFileSync(f, "utf8")).not.toContain(secret);
        }
    }, 60_000);

    it("fails preview on bad config, naming the key and the fix", async () => {
        const configPath = path.join(workDir, "Pulumi.local.yaml");
        const good = fs.readFileSync(configPath, "utf8");
        const doc = YAML.parseDocument(good);
        doc.setIn(["config", "kafka-cutover:groups", 0, "topics"], []);
        fs.writeFileSync(configPath, doc.toString());
        try {
            const preview = await pulumi(workDir, ["preview"]);
            expect(preview.code).not.toBe(0);
            expect(preview.out).toContain("kafka-cutover:groups[0].topics: is empty: a migration group moves at least one topic");
            expect(preview.out).toContain("fix: pulumi config set --path 'kafka-cutover:groups[0].topics[0]' payments.transactions");
        } finally {
            fs.writeFileSync(configPath, good);
        }
    }, 120_000);
});
