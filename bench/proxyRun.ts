/**
 * The proxy measurement's setup: a fresh environment whose one group's route leads to the source with auth
 * passthrough, and a topic outside every group (so the cluster link copies nothing while we measure).
 * Targets alternate within each trial, so drift from other work on the machine hits both alike.
 */
import { Kafka } from "kafkajs";
import { kafkajsConfig, kafkaPairEndpoints } from "../local/kafka";
import { benchGroup } from "./benchGroup";
import { freshStack, stopStack } from "./freshStack";
import type { BenchOptions } from "./options";
import { PROXY_SETTINGS, ProduceTarget, ProduceTrial, ProxyCost, measureProduce, summarizeProxy } from "./proxyCost";

const PROXY_TOPIC = "bench.proxy-cost";

export async function measureProxyCost(
  stateDir: string,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<ProxyCost> {
  const group = benchGroup(1, 0);
  log(`proxy cost: fresh environment with route ${group.name} on the source (passthrough)`);
  const stack = await freshStack(stateDir, group, log);
  try {
    const pair = kafkaPairEndpoints({ stateDir });
    const admin = new Kafka(kafkajsConfig(pair.source, pair.source.admin)).admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: PROXY_TOPIC, numPartitions: options.partitions }],
    });
    await admin.disconnect();
    const route = stack.endpoints.gateway?.routes[group.name];
    if (!route) throw new Error(`the environment has no route ${group.name}`);
    const login = { username: stack.endpoints.source.admin.username, password: stack.endpoints.source.admin.password };
    const targets: ProduceTarget[] = [
      { name: "direct", bootstrap: stack.endpoints.source.bootstrap, ...login },
      { name: "route", bootstrap: route, ...login },
    ];
    const settings = { ...PROXY_SETTINGS, seconds: options.proxySeconds };
    const trials: ProduceTrial[] = [];
    for (let trial = 1; trial <= options.proxyTrials; trial++) {
      for (const kind of ["throughput", "latency"] as const) {
        for (const target of trial % 2 === 1 ? targets : [...targets].reverse()) {
          const t = await measureProduce(target, PROXY_TOPIC, kind, settings);
          log(
            `proxy trial ${trial} ${kind} ${target.name}: ${t.recordsPerSec} rec/s, ${t.mbPerSec} MiB/s, p50 ${t.p50Ms} ms, p99 ${t.p99Ms} ms`,
          );
          trials.push(t);
        }
      }
    }
    return summarizeProxy(settings, trials);
  } finally {
    await stopStack(stateDir);
  }
}
