/**
 * The cutover as a Pulumi dynamic provider (loaded through dynamic/delegate.ts).
 *
 *   check   the preflight: every blocker as a failure on the property it concerns (preview and up)
 *   diff    what up will do: cut over, nothing (already cut over), or refuse; never a replace
 *   create  records the group (standing by), or cuts it over when its config asks for it
 *   update  cuts the group over when `requested` turns true; resumes a cutover a crash left part-way
 *   delete  forgets the resource; a cutover is never undone
 */
import { createHash } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { KubernetesClient } from "../../clients/kubernetes";
import { KAFKA_LEGS } from "../../clients/tls";
import { checkGroupTopicsThroughRoute, runCanary } from "./canary";
import { CutoverInputs, CutoverOutputs, containsUnknown, linkRestClient } from "./inputs";
import { LiveRoute } from "./liveRoute";
import { convertKip848Groups } from "./consumerGroupConversion";
import { connectAdmin, kafkaFor } from "./offsets";
import { preflight } from "./preflight";
import { Progress, engineProgress, memoryProgress } from "./progress";
import { CutoverContext, observe, rollback, runCutover } from "./sequence";
import { RunRecords, fenceAppliedAt } from "./runRecord";
import { Timeline } from "./timeline";

function progressFor(inputs: CutoverInputs): Progress {
  return engineProgress(inputs.resourceUrn) ?? memoryProgress();
}

/** Outputs never carry credentials: they stay in the (secret) inputs only. */
function outputsOf(
  inputs: CutoverInputs,
  rest: Omit<CutoverOutputs, keyof CutoverInputs | "fingerprint">,
): Record<string, unknown> {
  return {
    group: inputs.group,
    requested: inputs.requested,
    topics: inputs.topics,
    consumerGroups: inputs.consumerGroups,
    fingerprint: fingerprint(inputs),
    ...rest,
  };
}

/** A digest of the inputs without their credentials, so diff can tell what changed without storing secrets. */
export function fingerprint(inputs: CutoverInputs): string {
  const withoutSecrets = {
    ...inputs,
    link: { ...inputs.link, apiSecret: undefined },
    source: { ...inputs.source, password: undefined },
    destination: { ...inputs.destination, password: undefined },
    gateway: { ...inputs.gateway, kubeconfig: undefined },
    canary: inputs.canary && { ...inputs.canary, access: { ...inputs.canary.access, password: undefined } },
  };
  return createHash("sha256").update(JSON.stringify(withoutSecrets)).digest("hex");
}

export const provider: pulumi.dynamic.ResourceProvider = {
  async check(olds: Partial<CutoverInputs> | undefined, news: CutoverInputs) {
    if (!news.requested) return { inputs: news };
    // The engine's olds are the inputs of the last successful update: requested there means cut over.
    if (olds?.requested === true) {
      const failures = refusalsAfterCutover(olds, news);
      if (failures.length > 0) return { inputs: news, failures };
    }
    if (containsUnknown(news)) {
      progressFor(news).info(
        `preflight of group ${news.group}: some inputs are not known until up (resources still to be created); checked at up`,
      );
      return { inputs: news };
    }
    const report = await preflight(news);
    const progress = progressFor(news);
    for (const note of report.notes) progress.info(`preflight: ${note}`);
    if (report.blockers.length === 0) progress.info(`preflight: nothing blocks the cutover of group ${news.group}`);
    return { inputs: news, failures: report.blockers.map((b) => ({ property: b.property, reason: b.reason })) };
  },

  async diff(_id: string, olds: CutoverOutputs, news: CutoverInputs) {
    if (olds.state === "cut-over" && !news.requested) {
      throw new Error(
        `group ${news.group} was cut over at ${olds.completedAt ?? "an earlier update"}; a cutover cannot be undone: set its cutover back to true`,
      );
    }
    // Cut over and asked to be: done is done. Standing by and asked to cut over: up will run it.
    const willCutOver = news.requested && olds.state !== "cut-over";
    return { changes: willCutOver || olds.fingerprint !== fingerprint(news), replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs: CutoverInputs) {
    return { id: inputs.group, outs: await apply(inputs) };
  },

  async update(_id: string, olds: CutoverOutputs, news: CutoverInputs) {
    if (olds.state === "cut-over") {
      const refused = refusalsAfterCutover(olds, news);
      if (refused.length > 0) throw new Error(refused.map((f) => f.reason).join("\n"));
      return {
        outs: outputsOf(news, {
          state: "cut-over",
          timeline: olds.timeline,
          ...(olds.blockedWindowMs !== undefined ? { blockedWindowMs: olds.blockedWindowMs } : {}),
          ...(olds.blockedWindow ? { blockedWindow: olds.blockedWindow } : {}),
          ...(olds.completedAt ? { completedAt: olds.completedAt } : {}),
        }),
      };
    }
    return { outs: await apply(news) };
  },

  async delete() {
    // Nothing to undo: before a cutover there is nothing to remove, after it there is no way back.
  },
};

/**
 * A cut-over group's cutover has run: topics or consumer groups added to it since would be recorded as cut
 * over without being fenced, promoted or synced. Each is refused with what to do instead.
 */
export function refusalsAfterCutover(
  olds: Partial<Pick<CutoverInputs, "topics" | "consumerGroups">>,
  news: CutoverInputs,
): { property: string; reason: string }[] {
  const had = new Set(Object.keys(olds.topics ?? {}));
  const topics = Object.keys(news.topics).filter((t) => !had.has(t));
  const consumerGroups = news.consumerGroups.filter((g) => !(olds.consumerGroups ?? []).includes(g));
  const key = (field: string) => `kafka-cutover:groups (the group named ${news.group}).${field}`;
  const list = (names: string[]) => names.join(", ");
  const failures: { property: string; reason: string }[] = [];
  if (topics.length > 0)
    failures.push({
      property: "topics",
      reason: `${key("topics")}: ${list(topics)} added after group ${news.group} was cut over; its cutover has run, so they would be recorded as cut over while their mirrors stay read-only and keep copying from the source (writes through the route fail; records still written to the source are never promoted). Fix: remove ${list(topics)} from this group, declare a new migration group for them with an endpoint of its own and cutover: false, move the applications that use them onto that route, then cut that group over`,
    });
  if (consumerGroups.length > 0)
    failures.push({
      property: "consumerGroups",
      reason: `${key("consumerGroups")}: ${list(consumerGroups)} added after group ${news.group} was cut over; the cutover synced only the consumer groups listed then, and the promoted topics' offsets sync no more, so nothing would move their committed offsets. Fix: remove ${list(consumerGroups)} from this group; if their consumers read through the route they are on the destination already and need nothing; if they read the source directly, stop them, set their committed offsets on the destination to those on the source (kafka-consumer-groups --reset-offsets --to-offset, per partition) and point them at the route`,
    });
  return failures;
}

/** Cuts over (requested) or stands by; in both cases first reconciles with what a crash may have left. */
async function apply(inputs: CutoverInputs): Promise<Record<string, unknown>> {
  const progress = progressFor(inputs);
  const timeline = new Timeline(progress);
  if (!inputs.requested) {
    await standBy(inputs, progress, timeline);
    return outputsOf(inputs, { state: "standing-by", timeline: timeline.entries });
  }
  const k8s = new KubernetesClient({ kubeconfig: inputs.gateway.kubeconfig });
  const records = new RunRecords(k8s, inputs.gateway.namespace, inputs.group, progress);
  const earlier = await records.read();
  const startedAt = new Date().toISOString();
  const heldSince = earlier?.outcome === "stopped-fenced" ? earlier.fenceAppliedAt : undefined;
  const ctx = await connect(inputs, progress, timeline, k8s, heldSince ? Date.parse(heldSince) : undefined);
  try {
    const result = await runCutover(ctx);
    const completedAt = new Date().toISOString();
    if (result.blockedWindowMs !== undefined)
      progress.info(`group ${inputs.group} cut over: clients were held for ${result.blockedWindowMs} ms`);
    const blockedWindow = result.blockedWindow ?? earlier?.blockedWindow;
    await records.write({
      group: inputs.group,
      outcome: "cut-over",
      startedAt,
      endedAt: completedAt,
      timeline: timeline.entries,
      ...(blockedWindow ? { blockedWindow } : {}),
    });
    return outputsOf(inputs, {
      state: "cut-over",
      timeline: timeline.entries,
      completedAt,
      ...(result.blockedWindowMs !== undefined ? { blockedWindowMs: result.blockedWindowMs } : {}),
      ...(result.blockedWindow ? { blockedWindow: result.blockedWindow } : {}),
    });
  } catch (e) {
    // Where the clients were left decides what the record says; unknown counts as held.
    const fenced = await ctx.route.read().then(
      (r) => r?.view.fenced ?? false,
      () => true,
    );
    const since = fenced ? fenceAppliedAt(earlier, timeline.entries) : undefined;
    await records.write({
      group: inputs.group,
      outcome: fenced ? "stopped-fenced" : "rolled-back",
      startedAt,
      endedAt: new Date().toISOString(),
      error: (e as Error).message,
      timeline: timeline.entries,
      ...(since ? { fenceAppliedAt: since } : {}),
    });
    throw e;
  } finally {
    await ctx.close();
  }
}

/**
 * Not asked to cut over: nothing to do, unless a previous cutover stopped part-way. Fenced with nothing
 * promoted → roll back (unfence); some mirrors promoted → refuse, as there is no way back.
 */
async function standBy(inputs: CutoverInputs, progress: Progress, timeline: Timeline): Promise<void> {
  const route = new LiveRoute(
    new KubernetesClient({ kubeconfig: inputs.gateway.kubeconfig }),
    inputs.gateway.namespace,
    inputs.gateway.name,
    inputs.group,
    progress,
  );
  if (!(await route.read())) return; // the Gateway CR is declared after this resource: nothing can have happened yet
  const rest = linkRestClient(inputs);
  const observed = await observe({ inputs, route, rest });
  if (observed.phase === "fenced") {
    await rollback(
      { inputs, route, progress, timeline },
      new Error("a previous cutover stopped before promotion and the group's config no longer asks for it"),
    );
  }
  if (observed.phase === "promoting" || observed.phase === "done") {
    throw new Error(
      `group ${inputs.group} has mirror topics promoted already: its cutover cannot be undone; set its cutover to true and run pulumi up to finish it`,
    );
  }
}

async function connect(
  inputs: CutoverInputs,
  progress: Progress,
  timeline: Timeline,
  k8s: KubernetesClient,
  fencedSince: number | undefined,
): Promise<CutoverContext & { close(): Promise<void> }> {
  let aborted = false;
  const onSignal = () => {
    aborted = true;
    progress.warn("interrupted: compensating before exiting");
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const rest = linkRestClient(inputs);
  const [source, destination] = await Promise.all([
    connectAdmin(inputs.source, "kafka-cutover-source", KAFKA_LEGS.source),
    connectAdmin(inputs.destination, "kafka-cutover-destination", KAFKA_LEGS.destination),
  ]);
  return {
    inputs,
    rest,
    source,
    destination,
    progress,
    timeline,
    route: new LiveRoute(k8s, inputs.gateway.namespace, inputs.gateway.name, inputs.group, progress),
    aborted: () => aborted,
    ...(fencedSince !== undefined ? { fencedSince } : {}),
    ...(inputs.canary ? { canary: canaryProbe(inputs, inputs.canary) } : {}),
    convertKip848Groups: (groupIds, deadline) =>
      convertKip848Groups(source, kafkaFor(inputs.destination, "kafka-cutover-groups"), groupIds, deadline),
    async close() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await Promise.allSettled([source.disconnect(), destination.disconnect()]);
    },
  };
}

function canaryProbe(
  inputs: CutoverInputs,
  c: NonNullable<CutoverInputs["canary"]>,
): (deadline: number) => Promise<string> {
  return async (deadline) => {
    const at = await runCanary(inputs.group, c, inputs.destination, deadline);
    const topics = Object.keys(inputs.topics);
    const { unchecked } = await checkGroupTopicsThroughRoute(inputs.group, c, topics);
    const names =
      unchecked.length === 0
        ? `; the route knows the group's topics ${topics.join(", ")}`
        : `; the route knows ${topics.filter((t) => !unchecked.includes(t)).join(", ") || "none of the group's topics it was asked"}, and ${c.access.username} may not describe ${unchecked.join(", ")} (not checked)`;
    return `${c.topic}[${at.partition}]@${at.offset}: produced and consumed through the route as ${c.access.username}, found on the destination${names}`;
  };
}
