/**
 * Kafka's Java client, which most MSK applications use, in the lines they run: 4.x with the classic and the
 * KIP-848 (`group.protocol=consumer`) consumer, and 3.x (classic only). Each produces with an idempotent
 * producer and consumes in its own group through a passthrough Gateway route to the source; every
 * acknowledged record must be consumed, and the source must hold each exactly once, in order.
 */
import { InMemoryGateway, InMemorySecrets, startGateway, type RunningGateway } from "../../../local/gateway";
import { findDuplicates, findLost, findReordered } from "../../../local/load/checkers";
import { startJavaWorkload, type GroupProtocol, type JavaClientVersion } from "../../../local/load/javaWorkload";
import { adminLogins, readAll } from "../../../local/load/readAll";
import { gatewaySpec } from "../gateway/helpers/cr";
import { freePortBlock, kafkaPair, type PairHandle } from "../gateway/helpers/env";
import { uniqueName } from "../helpers";
import { createTopic } from "../helpers/kafka";

const RECORDS = 600;
const RATE = 200; // 3 s of traffic

describe("the Java workload through a passthrough Gateway route", () => {
  let pair: PairHandle;
  let gateway: RunningGateway;
  let route: string;

  beforeAll(async () => {
    pair = await kafkaPair();
    const port = await freePortBlock(3);
    route = `127.0.0.1:${port}`;
    const cr = new InMemoryGateway("gw");
    cr.apply(gatewaySpec(pair.endpoints, [{ name: "java", port, domain: "source" }]));
    gateway = await startGateway({ stateDir: pair.stateDir, source: cr, status: cr, secrets: new InMemorySecrets() });
    await gateway.operator?.idle();
  });

  afterAll(async () => {
    await gateway?.stop();
    await pair?.stop();
  });

  it.each<[JavaClientVersion, GroupProtocol]>([
    ["4.1.1", "classic"],
    ["4.1.1", "consumer"],
    ["3.9.1", "classic"],
  ])(
    "kafka-clients %s, %s group protocol: every acknowledged record is consumed, stored once and in order",
    async (version, groupProtocol) => {
      const topic = uniqueName(`java-${version.replace(/\./g, "")}-${groupProtocol}`);
      await createTopic(pair.endpoints.source, topic, 3);
      const workload = await startJavaWorkload({
        version,
        groupProtocol,
        bootstrap: route,
        mechanism: "SCRAM-SHA-512",
        username: pair.endpoints.source.admin.username,
        password: pair.endpoints.source.admin.password,
        topic,
        consumerGroup: uniqueName(`java-${groupProtocol}-group`),
        ratePerSec: RATE,
        count: RECORDS,
      });
      await workload.ready;
      await workload.produced;
      const report = await workload.stop();

      expect({ failures: report.failures, consumerErrors: report.consumerErrors }).toEqual({
        failures: [],
        consumerErrors: [],
      });
      expect(report.acked).toHaveLength(RECORDS);
      expect(findLost(report.acked, report.consumed)).toEqual([]);
      // The producer spread the records over every partition, and the consumer saw them where they are stored.
      expect(new Set(report.consumed.map((c) => c.partition)).size).toBe(3);
      const stored = await readAll(adminLogins(pair.endpoints).source, [topic]);
      expect(stored).toHaveLength(RECORDS);
      expect(findDuplicates(stored)).toEqual([]);
      expect(findReordered(stored)).toEqual([]);
      expect(report.exits.producer.code).toBe(0);
      expect(report.exits.consumer.code).toBe(0);
    },
    120_000,
  );
});
