/**
 * Kafka's Java client, which most MSK applications use, in the lines they run: 4.x with the classic and the
 * KIP-848 (`group.protocol=consumer`) consumer, and 3.x (classic only). Each produces with an idempotent
 * producer and consumes in its own group through a passthrough Gateway route to the source (SASL_PLAINTEXT,
 * and once SASL_SSL trusting the local CA's PEM); every acknowledged record must be consumed, and the source
 * must hold each exactly once, in order. A 4.x client with group.protocol=consumer has no fallback: had the
 * route not carried ConsumerGroupHeartbeat, poll would have thrown and the test would show it.
 */
import * as fs from "node:fs";
import { InMemoryGateway, InMemorySecrets, startGateway, type RunningGateway } from "../../../local/gateway";
import { findDuplicates, findLost, findReordered } from "../../../local/load/checkers";
import { startJavaWorkload, type GroupProtocol, type JavaClientVersion } from "../../../local/load/javaWorkload";
import { adminLogins, readAll } from "../../../local/load/readAll";
import { clientTlsSecret, gatewaySpec } from "../gateway/helpers/cr";
import { freePortBlock, kafkaPair, type PairHandle } from "../gateway/helpers/env";
import { gatewayCertificates, readPem } from "../gateway/helpers/tls";
import { uniqueName } from "../helpers";
import { createTopic } from "../helpers/kafka";

const RECORDS = 600;
const RATE = 200; // 3 s of traffic
type Transport = "SASL_PLAINTEXT" | "SASL_SSL";

describe("the Java workload through a passthrough Gateway route", () => {
  let pair: PairHandle;
  let gateway: RunningGateway;
  const routes: Record<Transport, string> = { SASL_PLAINTEXT: "", SASL_SSL: "" };
  const certs = gatewayCertificates([]);

  beforeAll(async () => {
    pair = await kafkaPair();
    const plain = await freePortBlock(3);
    const tls = await freePortBlock(3);
    routes.SASL_PLAINTEXT = `127.0.0.1:${plain}`;
    routes.SASL_SSL = `127.0.0.1:${tls}`;
    const secrets = new InMemorySecrets();
    secrets.put(clientTlsSecret({ ...readPem(certs.server), ca: fs.readFileSync(certs.ca.cert, "utf8") }));
    const cr = new InMemoryGateway("gw");
    cr.apply(
      gatewaySpec(pair.endpoints, [
        { name: "java", port: plain, domain: "source" },
        { name: "java-tls", port: tls, domain: "source", clientTls: true },
      ]),
    );
    gateway = await startGateway({ stateDir: pair.stateDir, source: cr, status: cr, secrets });
    await gateway.operator?.idle();
    await gateway.dataPlane.waitSettled();
  });

  afterAll(async () => {
    await gateway?.stop();
    await pair?.stop();
  });

  it.each<[JavaClientVersion, GroupProtocol, Transport]>([
    ["4.1.1", "classic", "SASL_PLAINTEXT"],
    ["4.1.1", "consumer", "SASL_PLAINTEXT"],
    ["3.9.1", "classic", "SASL_PLAINTEXT"],
    ["3.9.1", "classic", "SASL_SSL"],
  ])(
    "kafka-clients %s, %s group protocol, %s: every acknowledged record is consumed, stored once and in order",
    async (version, groupProtocol, transport) => {
      const topic = uniqueName(`java-${version.replace(/\./g, "")}-${groupProtocol}`);
      await createTopic(pair.endpoints.source, topic, 3);
      const workload = await startJavaWorkload({
        version,
        groupProtocol,
        bootstrap: routes[transport],
        securityProtocol: transport,
        ...(transport === "SASL_SSL" ? { caPem: certs.ca.cert } : {}),
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
