/**
 * Lifecycle of a Kafka pair: starting twice returns the same endpoints without starting anything, a second
 * pair in another state dir gets other ports, and stopping leaves no broker process behind.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { kafkaPairEndpoints, runningBrokers, startKafkaPair, stopKafkaPair } from "../../../local/kafka";
import { loadEndpoints, stateDir, waitUntil } from "../helpers";

/** Pids of live (non-zombie) processes whose command line mentions `needle`. */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (/\) [ZX] /.test(stat)) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(needle)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

describe("Kafka pair lifecycle", () => {
  it("a second start on the running shared environment starts nothing and returns the same endpoints", async () => {
    const shared = loadEndpoints();
    const again = await startKafkaPair({ stateDir: stateDir() });
    expect(again.alreadyRunning).toBe(true);
    // endpoints.json also holds what other components added (e.g. source.users): the pair's own part must match.
    expect(shared.source).toMatchObject(again.source);
    expect(shared.destination).toMatchObject({
      bootstrap: again.destination.bootstrap,
      apiKey: again.destination.apiKey,
      apiSecret: again.destination.apiSecret,
    });
  });

  describe("a private pair in its own state dir", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kc-pair-"));
    afterAll(async () => {
      await stopKafkaPair({ stateDir: dir, graceMs: 5_000 }).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("starts on other free ports, is idempotent, and stops without leaving a broker", async () => {
      const first = await startKafkaPair({ stateDir: dir });
      expect(first.alreadyRunning).toBe(false);
      const shared = loadEndpoints();
      const sharedPorts = [shared.source.ports, shared.destination.ports].flatMap((p) => [p.client, p.controller]);
      const ports = [first.source.ports, first.destination.ports].flatMap((p) => [p.client, p.controller]);
      expect(new Set(ports).size).toBe(4);
      for (const port of ports) expect(sharedPorts).not.toContain(port);
      expect(JSON.parse(fs.readFileSync(path.join(dir, "endpoints.json"), "utf8"))).toMatchObject({
        source: { bootstrap: first.source.bootstrap, mechanism: "SCRAM-SHA-512" },
        destination: { bootstrap: first.destination.bootstrap, apiKey: first.destination.apiKey },
      });

      const second = await startKafkaPair({ stateDir: dir });
      expect(second.alreadyRunning).toBe(true);
      expect(second.pids).toEqual(first.pids);
      expect(second.source).toEqual(first.source);
      expect(second.destination).toEqual(first.destination);
      expect(kafkaPairEndpoints({ stateDir: dir })).toEqual({ source: first.source, destination: first.destination });

      expect(processesMentioning(dir).sort()).toEqual([first.pids.source, first.pids.destination].sort());
      const stopped = await stopKafkaPair({ stateDir: dir });
      expect(stopped.stopped.source.how).not.toBe("none");
      expect(stopped.stopped.destination.how).not.toBe("none");
      await waitUntil(() => processesMentioning(dir).length === 0, {
        timeoutMs: 5_000,
        what: "no broker process left",
      });
      expect(runningBrokers({ stateDir: dir })).toEqual({});

      const again = await stopKafkaPair({ stateDir: dir });
      expect(again.stopped).toEqual({
        source: { pid: undefined, how: "none" },
        destination: { pid: undefined, how: "none" },
      });
    }, 120_000);
  });
});
