/**
 * OAUTHBEARER out, end to end: a group whose route swaps SCRAM in for OAUTHBEARER out (the Gateway signs its app in
 * to the destination with an OAuth client's token from the local authorization server) is cut over under load by
 * the real provider: nothing acknowledged is lost, nothing skipped or split, and the canary, produced and consumed
 * through the route as the app, finds its record on the destination. A store holding a wrong client secret is
 * refused by the preflight, before anything changes, naming the token endpoint's answer and the fix.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { preflight } from "../../../dynamic/cutover/preflight";
import { startProvider } from "./providerRun";
import { createWorld, expectLoadCrossedToTheDestination, type CutoverWorld } from "./world";

const worlds: CutoverWorld[] = [];
afterAll(async () => {
  for (const w of worlds) await w.cleanUp();
});

function oauthServerLog(): string {
  const state = process.env.KAFKA_CUTOVER_STATE ?? "";
  return fs.readFileSync(path.join(state, "oauth", "daemon.log"), "utf8");
}

it("SCRAM in, OAUTHBEARER out: cut over under load, nothing lost, skipped or split, the canary passes", async () => {
  const world = await createWorld("oauthout", { clusterAuthentication: "oauth" });
  worlds.push(world);
  const notes = (await preflight(world.inputs())).notes.join("\n");
  expect(notes).toContain(`OAuth client ${world.oauthClient} gets tokens from`);

  const load = await world.startLoad(100);
  const outcome = await startProvider(world.inputs()).done;
  expect(outcome.error).toBeUndefined();
  expect(outcome.outs).toMatchObject({ state: "cut-over" });
  const steps = outcome.outs?.timeline ?? [];
  expect(steps.find((s) => s.step === "canary")).toMatchObject({ outcome: "done" });
  await expectLoadCrossedToTheDestination(world, load);
  // The Gateway got its tokens from the authorization server as the world's OAuth client.
  expect(oauthServerLog()).toContain(`token issued to ${world.oauthClient} `);
}, 180_000);

it("a wrong OAuth client secret in the Gateway's store is refused by the preflight, before anything changes", async () => {
  const world = await createWorld("oauthwrong", {
    clusterAuthentication: "oauth",
    oauthClientSecret: "not-the-secret",
  });
  worlds.push(world);
  const report = await preflight(world.inputs());
  expect(report.blockers.map((b) => b.reason).join("\n")).toMatch(
    new RegExp(
      `the token endpoint http://\\S+/token refused OAuth client ${world.oauthClient} \\(HTTP 401 invalid_client: Client authentication failed\\), whose credentials the Gateway's Secret confluent/\\S+ holds: .*pulumi config set --secret kafka-cutover:swapOAuthClientSecret`,
    ),
  );
  expect(await world.liveRoute()).toMatchObject({ fenced: false });
}, 120_000);
