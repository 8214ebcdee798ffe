/**
 * Kafka's Java client, which most MSK applications use, across a real cutover: an idempotent producer and a
 * consumer in the group's own consumer group (the one the link syncs and the cutover checks) run through the
 * group's route (SCRAM-SHA-512 over SASL_PLAINTEXT, as the app) while the provider fences, promotes and
 * switches, then run on the destination for a few seconds.
 *
 * With the default fence code (COORDINATOR_NOT_AVAILABLE, chosen so that Java clients retry it) a classic
 * consumer, on 4.x and on 3.x, must cross without anything the application sees but the known issue below: no
 * failed send, no fatal consumer error, and every acknowledged record on the destination once, consumed by the
 * group, with the clusters never split.
 *
 * These worlds use the product's default switch timeout (60 s) rather than the world's 15 s.
 *
 * Known and not yet prevented (DESIGN.md, Known issues): a Java client that opens a connection while one of the
 * Gateway's pods still serves the fence fails its SASL handshake (the fence answers it; Java reports
 * IllegalSaslStateException for any code) and the application sees an authentication error. Two moments open
 * connections while the pods disagree: during the fence, a consumer whose commit or heartbeat meets a fenced pod
 * drops its coordinator connection and may find the coordinator again through a pod not fenced yet; at the
 * switch, each pod that switches closes its connections, and a client may reconnect onto a pod still fenced.
 * Seen in about 1 crossing in 4 for a consumer, and as a couple of failed sends (not a dead producer) in about 1
 * in 15. The cases accept exactly that, in those two windows, and nothing else; everything the producer was
 * acknowledged must still be on the destination.
 *
 * A 4.x KIP-848 consumer (`group.protocol=consumer`) would die at the switch: the offset sync makes the group on
 * the destination a classic group, and its ConsumerGroupHeartbeat there is refused (GroupIdNotFoundException).
 * The cutover converts the group between promotion and the switch (consumerGroupConversion.ts); its case checks
 * the consumer then rejoins on the destination and skips nothing.
 */
import { DEFAULT_FENCE_ERROR_CODE } from "../../../components/gatewaySpec";
import type { TimelineEntry } from "../../../dynamic/cutover";
import { startJavaWorkload, type JavaClientVersion, type JavaWorkloadReport } from "../../../local/load/javaWorkload";
import { startProvider, type ProviderOutcome } from "./providerRun";
import { createWorld, type CutoverWorld, type Guarantees } from "./world";

const RATE = 100; // records/s
const ON_THE_DESTINATION_MS = 3_000;
/** config/validate.ts's default switchMs: long enough for a pod roll's drain (see above). */
const SWITCH_MS = 60_000;

interface Crossing {
  readonly outcome: ProviderOutcome;
  readonly report: JavaWorkloadReport;
  readonly guarantees: Guarantees;
  readonly finishedAt: number;
  /** When the switch step started: no request can reach the destination before it. */
  readonly switchStartedAt: number;
  /** Where in the cutover a moment falls. */
  phaseOf(at: number): string;
}

/** Runs the Java workload through the world's route, a cutover under it, and a few seconds on the destination. */
async function crossWithJava(
  world: CutoverWorld,
  version: JavaClientVersion,
  groupProtocol: "classic" | "consumer",
): Promise<Crossing> {
  const workload = await startJavaWorkload({
    version,
    groupProtocol,
    bootstrap: world.route,
    securityProtocol: "SASL_PLAINTEXT",
    mechanism: "SCRAM-SHA-512",
    username: world.app.username,
    password: world.app.password,
    topic: world.topics[0],
    consumerGroup: world.consumerGroup,
    ratePerSec: RATE,
  });
  let report: JavaWorkloadReport | undefined;
  try {
    await workload.ready; // JVM start-up takes seconds here: both clients flow before anything changes
    const outcome = await startProvider(world.inputs()).done;
    const finishedAt = Date.now();
    await new Promise((r) => setTimeout(r, ON_THE_DESTINATION_MS));
    report = await workload.stop();
    const guarantees = await world.guarantees(report, "destination");

    const steps = (outcome.outs?.timeline ?? []) as unknown as readonly TimelineEntry[];
    const at = (step: string, edge: "startedAt" | "endedAt") => {
      const s = steps.find((e) => e.step === step);
      return s ? Date.parse(s[edge]) : NaN;
    };
    const fenceStartedAt = at("fence", "startedAt");
    const switchStartedAt = at("switch", "startedAt");
    const switchEndedAt = at("switch", "endedAt");
    const phaseOf = (t: number) =>
      Number.isNaN(switchEndedAt)
        ? `unknown (the provider recorded no switch step; fence started ${fenceStartedAt})`
        : t < fenceStartedAt
          ? "before the fence"
          : t < switchStartedAt
            ? `fenced (${t - fenceStartedAt} ms after the fence step started)`
            : t <= switchEndedAt
              ? `at the switch (${t - switchStartedAt} ms after the switch step started)`
              : `after the switch (${t - switchEndedAt} ms after the switch step ended)`;

    // What each client saw, for the record.
    console.log(
      JSON.stringify(
        {
          client: `kafka-clients ${version}, ${groupProtocol} consumer`,
          provider: { ok: outcome.ok, state: outcome.outs?.state, error: outcome.error },
          blockedWindow: (outcome.outs as { blockedWindow?: unknown } | undefined)?.blockedWindow,
          timeline: steps.map((e) => `${e.step} ${e.outcome} ${e.durationMs} ms${e.detail ? `: ${e.detail}` : ""}`),
          acked: report.acked.length,
          consumed: report.consumed.length,
          maxProduceStallMs: report.maxProduceStallMs,
          failures: report.failures.map((f) => ({ ...f, phase: phaseOf(f.at) })),
          producerErrors: report.producerErrors,
          consumerErrors: report.consumerErrors.map((e) => ({ ...e, phase: phaseOf(e.at) })),
          consumerFatal: report.consumerFatal,
          exits: { producer: report.exits.producer.code, consumer: report.exits.consumer.code },
          guarantees: {
            lost: guarantees.lost.length,
            skipped: guarantees.skipped.length,
            split: guarantees.split.length,
            duplicated: guarantees.duplicated,
          },
        },
        null,
        2,
      ),
    );
    return { outcome, report, guarantees, finishedAt, switchStartedAt, phaseOf };
  } finally {
    if (!report) await workload.stop().catch(() => undefined);
  }
}

/** The fence's answer to a SASL handshake, as a Java client reports it. */
const FENCED_HANDSHAKE = new RegExp(`IllegalSaslStateException.*${DEFAULT_FENCE_ERROR_CODE}`);
/** The two windows in which pods disagree and a client may connect to one still fenced (see the header). */
const WHILE_PODS_CONVERGE = /^(fenced|at the switch)/;

/**
 * The cutover finished, and the producer saw nothing of it but the known fenced handshake (see the header): no
 * other failed send or error (the fence's code is one the Java producer retries), it kept going on the
 * destination, and nothing it was acknowledged is lost, duplicated or split.
 */
function expectCutOverWithTheProducerIntact(
  c: Pick<Crossing, "outcome" | "report" | "guarantees" | "finishedAt" | "phaseOf">,
): void {
  expect(c.outcome.error).toBeUndefined();
  expect(c.outcome).toMatchObject({ ok: true, outs: { state: "cut-over" } });
  const failed = c.report.failures.map((f) => ({ error: f.error, phase: c.phaseOf(f.at) }));
  if (failed.length > 0) console.warn(`known issue seen: ${failed.length} sends failed: ${JSON.stringify(failed[0])}`);
  expect(failed.filter((f) => !FENCED_HANDSHAKE.test(f.error) || !WHILE_PODS_CONVERGE.test(f.phase))).toEqual([]);
  expect(c.report.producerErrors).toEqual([]);
  expect(c.report.exits.producer.code).toBe(0);
  expect(c.report.acked.filter((a) => a.ackedAt > c.finishedAt).length).toBeGreaterThan(0);
  expect([c.guarantees.lost, c.guarantees.split, c.guarantees.duplicated]).toEqual([[], [], 0]);
}

/**
 * Whether the consumer died of the known death (see the header); if it did, that must be its only fatal error,
 * the fence's answer to a SASL handshake, while the pods converged on the fence or on the switch.
 */
function diedOfTheFencedHandshake(
  report: JavaWorkloadReport,
  phaseOf: (at: number) => string,
  client: string,
): boolean {
  const fatal = report.consumerErrors.filter((e) => e.fatal).map((e) => ({ ...e, phase: phaseOf(e.at) }));
  if (!fatal.some((e) => /IllegalSaslStateException/.test(e.error))) return false;
  console.warn(`known issue seen: the ${client} consumer died ${fatal[0].phase}: ${fatal[0].error}`);
  expect(fatal.map((e) => [WHILE_PODS_CONVERGE.test(e.phase), FENCED_HANDSHAKE.test(e.error)])).toEqual([[true, true]]);
  return true;
}

describe("Java clients across a cutover, through the group's route", () => {
  const worlds: CutoverWorld[] = [];
  afterAll(async () => {
    for (const w of worlds) await w.cleanUp();
  });

  it.each<JavaClientVersion>(["4.1.1", "3.9.1"])(
    "kafka-clients %s, classic consumer in the group's consumer group: no failed send, no fatal consumer error, every acknowledged record on the destination once and consumed, nothing split",
    async (version) => {
      const world = await createWorld(`java-${version.replace(/\./g, "")}`, { timeouts: { switchMs: SWITCH_MS } });
      worlds.push(world);
      const {
        outcome,
        report,
        guarantees: g,
        finishedAt,
        switchStartedAt,
        phaseOf,
      } = await crossWithJava(world, version, "classic");

      expectCutOverWithTheProducerIntact({ outcome, report, guarantees: g, finishedAt, phaseOf });

      if (diedOfTheFencedHandshake(report, phaseOf, version)) return;
      // Otherwise nothing the application would see, and the consumer went on on the destination.
      expect(report.consumerFatal).toBeUndefined();
      expect(report.exits.consumer.code).toBe(0);
      expect(report.consumed.filter((c) => c.at > switchStartedAt).length).toBeGreaterThan(0);
      expect(g.skipped).toEqual([]);
    },
    180_000,
  );

  it("kafka-clients 4.1.1, KIP-848 consumer: the cutover makes its group a consumer group on the destination before the switch, so it rejoins there and skips nothing, and the producer crosses with nothing lost", async () => {
    const world = await createWorld("java-411-848", { timeouts: { switchMs: SWITCH_MS } });
    worlds.push(world);
    const {
      outcome,
      report,
      guarantees: g,
      finishedAt,
      switchStartedAt,
      phaseOf,
    } = await crossWithJava(world, "4.1.1", "consumer");

    expectCutOverWithTheProducerIntact({ outcome, report, guarantees: g, finishedAt, phaseOf });
    const steps = (outcome.outs?.timeline ?? []) as unknown as readonly TimelineEntry[];
    expect(steps.find((s) => s.step === "consumer-groups")).toMatchObject({
      outcome: "done",
      detail: `${world.consumerGroup} converted`,
    });

    if (diedOfTheFencedHandshake(report, phaseOf, "4.1.1 KIP-848")) return;
    // Told at the switch that its member is unknown (non-fatal commit failures), it rejoined with epoch 0 and
    // went on from the committed offsets: nothing fatal, nothing skipped.
    expect(report.consumerFatal).toBeUndefined();
    expect(report.exits.consumer.code).toBe(0);
    expect(report.consumed.filter((c) => c.at > switchStartedAt).length).toBeGreaterThan(0);
    expect(g.skipped).toEqual([]);
  }, 180_000);
});
