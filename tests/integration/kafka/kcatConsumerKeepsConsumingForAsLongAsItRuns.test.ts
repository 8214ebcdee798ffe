/**
 * The kcat workload's consumer must keep consuming for the whole run, however much kcat writes to stderr
 * (a line per partition end, a line per error). A pipe nobody reads fills after some 64 KiB and then blocks
 * kcat's next write: the consumer stops mid-run, which a cutover test would blame on the cutover. Single
 * records trickling into the other partitions make kcat report each partition's end often, as in the demo.
 */
import { kcatInstalled } from "../../../local/kafka/kcat";
import { startKcatWorkload } from "../../../local/load/kcatWorkload";
import { client, createTopic } from "../helpers/kafka";
import { loadEndpoints, uniqueName } from "../helpers";

const endpoints = loadEndpoints();
const RUN_MS = 15_000;

(kcatInstalled() ? it : it.skip)(
  "kcat's consumer consumes every acknowledged record of a run longer than its stderr pipe holds",
  async () => {
    const topic = uniqueName("kcat-long");
    await createTopic(endpoints.source, topic, 3);
    const workload = startKcatWorkload({
      bootstrap: endpoints.source.bootstrap,
      username: endpoints.source.admin.username,
      password: endpoints.source.admin.password,
      mechanism: "SCRAM-SHA-512",
      topic,
      partition: 0,
      consumerGroup: uniqueName("kcat-long-group"),
      ratePerSec: 200,
    });
    await workload.ready;
    const trickle = client(endpoints.source).producer();
    await trickle.connect();
    for (let i = 0, until = Date.now() + RUN_MS; Date.now() < until; i++) {
      await trickle.send({ topic, messages: [{ partition: 1 + (i % 2), value: "trickle" }] });
      await new Promise((r) => setTimeout(r, 5));
    }
    await trickle.disconnect();
    const report = await workload.stop();

    const consumed = new Set(report.consumed.map((c) => c.seq));
    const missing = report.acked.filter((a) => !consumed.has(a.seq)).map((a) => a.seq);
    expect(report.acked.length).toBeGreaterThan(1_000);
    expect({ missing: missing.length, firstMissing: missing[0] }).toEqual({ missing: 0, firstMissing: undefined });
  },
  120_000,
);
