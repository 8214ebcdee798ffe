/**
 * The emulator's daemon mode: start is idempotent (a live daemon is reused), it serves the REST API and
 * records its endpoint for endpoints.json, and stop ends exactly that process.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ClusterLinkRestClient, fastRetryPolicy } from "../../../clients/clusterLinkRest";
import { clusterLinkEndpoints, startClusterLinkDaemon, stopClusterLinkDaemon } from "../../../local/clusterlink";
import { kafkaPairEndpoints } from "../../../local/kafka";
import { stateDir } from "../helpers";

const own = fs.mkdtempSync(path.join(os.tmpdir(), "clusterlink-daemon-"));
afterAll(async () => {
  await stopClusterLinkDaemon({ stateDir: own });
  fs.rmSync(own, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it("starts once, is reused by a second start, answers the REST API, and stops", async () => {
  const first = await startClusterLinkDaemon({ stateDir: own, kafkaStateDir: stateDir() });
  const second = await startClusterLinkDaemon({ stateDir: own, kafkaStateDir: stateDir() });
  expect(first.alreadyRunning).toBe(false);
  expect(second).toMatchObject({ alreadyRunning: true, pid: first.pid, url: first.url });

  const pair = kafkaPairEndpoints({ stateDir: stateDir() });
  expect(await clusterLinkEndpoints({ stateDir: own })).toEqual({
    restEndpoint: first.url,
    clusterId: pair.destination.clusterId,
  });
  const rest = new ClusterLinkRestClient({
    restEndpoint: first.url,
    clusterId: first.clusterId,
    apiKey: pair.destination.apiKey,
    apiSecret: pair.destination.apiSecret,
    retry: fastRetryPolicy,
  });
  await expect(rest.listLinks()).resolves.toEqual([]);

  expect(await stopClusterLinkDaemon({ stateDir: own })).toBe(true);
  expect(alive(first.pid)).toBe(false);
  expect(await clusterLinkEndpoints({ stateDir: own })).toBeUndefined();
}, 90_000);
