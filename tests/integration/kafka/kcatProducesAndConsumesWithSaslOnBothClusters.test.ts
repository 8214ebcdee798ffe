/**
 * A non-JavaScript client (Debian's kcat, librdkafka) produces and consumes on both clusters: SCRAM-SHA-512
 * on source, PLAIN on destination. Needs local/kafka/install-kcat.sh to have run.
 */
import * as fs from "node:fs";
import { runKcat, writeKcatConfig } from "../../../local/kafka/kcat";
import { createTopic, type Endpoint } from "../helpers/kafka";
import { loadEndpoints, uniqueName } from "../helpers";

const endpoints = loadEndpoints();
const clusters: [string, Endpoint, { username: string; password: string }][] = [
  ["source", endpoints.source, endpoints.source.admin],
  [
    "destination",
    endpoints.destination,
    { username: endpoints.destination.apiKey, password: endpoints.destination.apiSecret },
  ],
];

describe.each(clusters)("kcat on %s", (_name, endpoint, credentials) => {
  it(`produces and consumes with ${endpoint.mechanism}`, async () => {
    const topic = uniqueName("kcat");
    await createTopic(endpoint, topic);
    const config = writeKcatConfig(endpoint, credentials);
    try {
      const produced = await runKcat(["-F", config, "-P", "-t", topic, "-K", ":"], { input: "k1:v1\nk2:v2\nk3:v3\n" });
      expect(produced.stderr).not.toMatch(/error|fail/i);
      expect(produced.code).toBe(0);

      const consumed = await runKcat([
        "-F",
        config,
        "-C",
        "-t",
        topic,
        "-o",
        "beginning",
        "-e",
        "-c",
        "3",
        "-f",
        "%k=%s\\n",
      ]);
      expect(consumed.code).toBe(0);
      expect(consumed.stdout.trim().split("\n")).toEqual(["k1=v1", "k2=v2", "k3=v3"]);
    } finally {
      fs.rmSync(config, { force: true });
    }
  });
});
