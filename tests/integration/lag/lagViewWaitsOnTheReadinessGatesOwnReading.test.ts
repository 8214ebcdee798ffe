/**
 * `npm run lag` on a real group (real Kafka, the Cluster Linking emulator): its numbers are the readiness gate's
 * own (`lagFromBothClusters` at the same instant), `--until-ready` does not return while a mirror is stalled
 * and the source is ahead, and returns 0 once the mirror is resumed and has drained; the CLI itself, reading a
 * stack file with its secrets from the environment, answers `--once` with 1 and then 0 the same way.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Admin } from "kafkajs";
import { ClusterLinkRestClient } from "../../../clients/clusterLinkRest";
import { lagFromBothClusters } from "../../../dynamic/cutover/lag";
import { connectAdmin } from "../../../dynamic/cutover/offsets";
import { takeSample, type Sample, type SampleClients } from "../../../tools/lag/sample";
import { blockScreen, watch } from "../../../tools/lag/watch";
import { CutoverWorld, createWorld } from "../cutover/world";
import { eventually } from "../helpers";

const THRESHOLD = 50;

describe("the lag view", () => {
  let world: CutoverWorld;
  const admins: Admin[] = [];
  afterAll(async () => {
    await Promise.allSettled(admins.map((a) => a.disconnect()));
    await world?.cleanUp();
  });

  it("shows readiness's own numbers and waits with it until the stalled mirror drains", async () => {
    world = await createWorld("lagview", { ownLinkEmulator: true, lagThreshold: THRESHOLD });
    const target = world.inputs();
    const [stalled] = world.topics;
    admins.push(await connectAdmin(target.source, "lag-view-test-source"));
    admins.push(await connectAdmin(target.destination, "lag-view-test-destination"));
    const clients: SampleClients = {
      source: admins[0],
      destination: admins[1],
      rest: new ClusterLinkRestClient({ ...target.link, timeoutMs: 10_000 }),
    };

    world.link?.link(world.name)?.stall(stalled, true);
    const writer = world.writeToSource(stalled);
    await eventually(async () => {
      if ((await writer.written()) < 1_000) throw new Error("not written yet");
    });
    const written = await writer.stop();
    // The group's consumers committed part-way through the stalled topic: the link syncs that once it copies.
    await admins[0].setOffsets({
      groupId: world.consumerGroup,
      topic: stalled,
      partitions: [0, 1, 2].map((partition) => ({ partition, offset: "1" })),
    });

    // Nothing writes any more and the mirror is stalled: both readings are of one instant.
    const [sample, gate] = await Promise.all([
      takeSample(clients, target),
      lagFromBothClusters(admins[0], admins[1], target.topics),
    ]);
    expect(sample.topics.map(({ topic, lag, missingPartitions }) => ({ topic, lag, missingPartitions }))).toEqual(
      gate.map(({ topic, lag, missingPartitions }) => ({ topic, lag, missingPartitions })),
    );
    expect(sample.topics.find((t) => t.topic === stalled)).toMatchObject({ state: "ACTIVE", lag: written });
    expect(sample.ready).toBe(false);
    expect(sample.consumerGroups).toMatchObject([{ group: world.consumerGroup, committed: 3 }]);

    // The CLI, from a stack file: not ready while stalled.
    const stack = stackFile(world);
    const stalledRun = await cli(stack, world.name);
    expect(stalledRun.code).toBe(1);
    expect(stalledRun.stdout).toContain(`not ready: ${stalled}=${written}`);

    const samples: Sample[] = [];
    const blocks: string[] = [];
    let exited: number | undefined;
    const waiting = watch(
      clients,
      target,
      { intervalMs: 200, untilReady: true, once: false, onSample: (s) => samples.push(s) },
      blockScreen((t) => blocks.push(t)),
    ).then((code) => (exited = code));
    await eventually(
      async () => {
        if (samples.length < 5) throw new Error(`${samples.length} samples`);
      },
      { what: "five refreshes" },
    );
    expect(exited).toBeUndefined();
    expect(samples.every((s) => !s.ready)).toBe(true);
    expect(blocks.at(-1)).toContain("not draining");

    world.link?.link(world.name)?.stall(stalled, false);
    expect(await waiting).toBe(0);
    const last = samples.at(-1);
    expect(last?.ready).toBe(true);
    expect(last?.topics.every((t) => t.lag <= THRESHOLD && t.missingPartitions.length === 0)).toBe(true);
    expect(blocks.at(-1)).toContain("ready: the group would pass readiness now");

    const drainedRun = await cli(stack, world.name);
    expect(drainedRun.code).toBe(0);
    expect(drainedRun.stdout).toContain("ready: the group would pass readiness now");
    // The offset-sync status is the caught-up step's comparison: synced once the link has copied the commits.
    await eventually(
      async () => {
        const [g] = (await takeSample(clients, target)).consumerGroups;
        if (g.unsynced.length > 0) throw new Error(g.unsynced.join("; "));
      },
      { what: "the consumer group's offsets to be synced" },
    );
  }, 180_000);
});

/** A stack file for the world's group; its secrets go through the environment, as an operator may give them. */
function stackFile(world: CutoverWorld): { file: string; env: NodeJS.ProcessEnv } {
  const t = world.inputs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lag-view-"));
  const file = path.join(dir, "Pulumi.lagview.yaml");
  const config = {
    "kafka-cutover:source": {
      bootstrap: t.source.bootstrap,
      securityProtocol: t.source.securityProtocol,
      auth: { mechanism: t.source.mechanism, username: t.source.username },
    },
    "kafka-cutover:destination": {
      mode: "existing",
      clusterId: t.link.clusterId,
      bootstrap: t.destination.bootstrap,
      restEndpoint: t.link.restEndpoint,
      securityProtocol: t.destination.securityProtocol,
      apiKey: t.link.apiKey,
    },
    "kafka-cutover:link": { name: t.link.name },
    "kafka-cutover:groups": [
      {
        name: t.group,
        topics: Object.keys(t.topics),
        consumerGroups: t.consumerGroups,
        endpoint: world.route,
        lagThreshold: t.lagThreshold,
      },
    ],
  };
  fs.writeFileSync(file, JSON.stringify({ config }, null, 2)); // JSON is YAML
  return {
    file,
    env: {
      ...process.env,
      KAFKA_CUTOVER_SOURCE_PASSWORD: t.source.password,
      KAFKA_CUTOVER_DESTINATION_API_SECRET: t.link.apiSecret,
    },
  };
}

function cli(
  stack: { file: string; env: NodeJS.ProcessEnv },
  group: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const root = path.resolve(__dirname, "../../..");
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        require.resolve("ts-node/dist/bin.js"),
        "--transpile-only",
        path.join(root, "tools/lag/main.ts"),
        "--config-file",
        stack.file,
        "--group",
        group,
        "--once",
      ],
      { cwd: root, env: stack.env, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
