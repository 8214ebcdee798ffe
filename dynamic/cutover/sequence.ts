/**
 * The cutover of one migration group, top to bottom: readiness → fence → promote → switch.
 *
 * Each step is a named function with its own checks and deadline; after the switch a canary proves the
 * clients' path through the route leads to the destination. Compensation follows one rule: until
 * the first mirror topic is promoted, any failure (or interrupt) puts the route back on the source,
 * unfenced, and leaves everything as it was; once a topic is promoted there is no way back, so a failure
 * leaves the route fenced and the next `pulumi up` resumes forward from what it observes.
 */
import type { ClusterLinkRestClient, Mirror, MirrorActionResult } from "../../clients/clusterLinkRest";
import { StepDeadlineExceeded, withinDeadline } from "../../clients/deadline";
import type { Conversion } from "./consumerGroupConversion";
import { caughtUp, describeLag, lagFromBothClusters, mirrorsNotActive, overThreshold, wouldPassReadiness } from "./lag";
import type { BlockedWindow, CutoverInputs } from "./inputs";
import type { RouteControl, RouteView } from "./liveRoute";
import {
  OffsetMap,
  OffsetReader,
  groupOffsetDiffs,
  logEndOffsets,
  offsetChanges,
  offsetsUnsynced,
  recordsSince,
} from "./offsets";
import { RouteAtRefusal, lostRecordsReason, promotedBehindSource } from "./divergence";
import type { Progress } from "./progress";
import { Timeline } from "./timeline";

export interface CutoverContext {
  readonly inputs: CutoverInputs;
  readonly route: RouteControl;
  readonly rest: Pick<ClusterLinkRestClient, "listMirrors" | "promoteMirrors">;
  /** Admin clients straight to each cluster (never through the Gateway). */
  readonly source: OffsetReader;
  readonly destination: OffsetReader;
  readonly progress: Progress;
  readonly timeline: Timeline;
  /** True once SIGINT/SIGTERM arrived: every wait gives up and compensation runs. */
  readonly aborted: () => boolean;
  /**
   * One record through the route after the switch, found through the route and on the destination (see
   * canary.ts); resolves to what it proved, rejects naming what failed. Unset: the group has no canary.
   */
  readonly canary?: (deadline: number) => Promise<string>;
  /**
   * Of these groups, those on KIP-848 on the source become consumer groups on the destination
   * (consumerGroupConversion.ts): one result each. Rejects only when it cannot tell the groups' types.
   * Unset: nothing is converted.
   */
  readonly convertKip848Groups?: (groupIds: readonly string[], deadline: number) => Promise<Conversion[]>;
  /**
   * When an earlier run fenced the route, if the route has stayed fenced since (runRecord.ts): a resume's
   * blocked window starts there, not at this run's no-op fence.
   */
  readonly fencedSince?: number;
}

export interface CutoverResult {
  readonly alreadyDone: boolean;
  /** Fence applied → switch applied. */
  readonly blockedWindowMs?: number;
  readonly blockedWindow?: BlockedWindow;
}

/** What the live system says about this group, so a re-run continues or rolls back correctly. */
export type Observed =
  | { readonly phase: "done" }
  | { readonly phase: "promoting"; readonly route: RouteView }
  | { readonly phase: "fenced"; readonly route: RouteView }
  | { readonly phase: "not-started"; readonly route: RouteView };

const PROMOTED = new Set(["STOPPED", "PENDING_STOPPED"]);

export class StepError extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(`${step}: ${message}`);
    this.name = "StepError";
  }
}

/** Runs the whole cutover, or finishes one a previous run left part-way. */
export async function runCutover(ctx: CutoverContext): Promise<CutoverResult> {
  const observed = await observe(ctx);
  if (observed.phase === "done") {
    ctx.progress.info("the group is already cut over: its route leads to the destination and every mirror is promoted");
    await canary(ctx); // a run that stopped after the switch may not have proven the path yet
    return { alreadyDone: true };
  }
  let fenced: { fencedAt: number; before: OffsetMap };
  if (observed.phase !== "promoting") {
    try {
      await readiness(ctx);
      fenced = await fencedAndCaughtUp(ctx);
    } catch (e) {
      await rollback(ctx, e as Error);
      throw e;
    }
  } else {
    // Before any change: a promoted topic the source moved past would lose those records if this went on.
    await refuseRecordsPromotedMirrorsLack(ctx, "resume", observed.route.fenced ? "fenced" : "open");
    ctx.progress.warn("a previous run promoted some mirror topics already: resuming forward");
    fenced = await fencedAndCaughtUp(ctx); // the fence is a no-op when it is still fenced, as it should be
  }
  const { fencedAt, before } = fenced;
  // Past this line there is no way back to the source.
  await ctx.timeline.waitOn("cluster-linking", () => promote(ctx));
  await sourceStillSinceFence(
    ctx,
    before,
    "promote",
    "the route stays fenced; once nothing writes to the source any more, run pulumi up again to switch",
  );
  // The fence snapshot of a resume is younger than the earlier promotions: a record that reached the source
  // between the check above and this run's fence shows only against the destination.
  if (observed.phase === "promoting") await refuseRecordsPromotedMirrorsLack(ctx, "promote", "fenced-and-promoted");
  await prepareConsumerGroups(ctx);
  const switchedAt = await switchRoute(ctx, before);
  await canary(ctx);
  const heldSince =
    observed.phase !== "not-started" && ctx.fencedSince !== undefined ? Math.min(ctx.fencedSince, fencedAt) : fencedAt;
  return {
    alreadyDone: false,
    blockedWindowMs: switchedAt - heldSince,
    blockedWindow: ctx.timeline.blockedWindow(heldSince, switchedAt),
  };
}

/** What observing needs: the route and the link, not the clusters. */
export type ObserveContext = Pick<CutoverContext, "inputs" | "route" | "rest">;

/** Reads the live route and the mirrors' states. */
export async function observe(ctx: ObserveContext): Promise<Observed> {
  const { inputs } = ctx;
  const live = await ctx.route.read();
  if (!live)
    throw new StepError(
      "observe",
      `the Gateway ${inputs.gateway.namespace}/${inputs.gateway.name} has no route ${inputs.group}`,
    );
  const mirrors = await groupMirrors(ctx);
  const promoted = mirrors.filter((m) => PROMOTED.has(m.mirror_status));
  const onDestination = live.view.domain === inputs.gateway.destinationRoute.streamingDomain.name;
  // The spec says what was asked; only the pods say what clients get. A switch the Gateway rejected leaves
  // the spec on the destination while every pod still serves the fence: that group is not done.
  const served = await ctx.route.served(live.view);
  if (onDestination && !live.view.fenced && promoted.length === mirrors.length && served.settled)
    return { phase: "done" };
  if (promoted.length > 0) return { phase: "promoting", route: live.view };
  // Fenced (on either side) with nothing promoted: a run stopped before the point of no return. A spec the
  // Gateway rejected says nothing about what the pods serve (maybe a fence): treat it as fenced, so rolling
  // back applies the source route again.
  if (live.view.fenced || served.rejected) return { phase: "fenced", route: live.view };
  // Unfenced on the destination with nothing promoted cannot come from this sequence; moving on fences first.
  return onDestination ? { phase: "promoting", route: live.view } : { phase: "not-started", route: live.view };
}

/**
 * 1. Readiness: the Secrets the destination route needs exist, every mirror is ACTIVE, and each topic's lag
 * is at or under the threshold, within the deadline.
 */
export async function readiness(ctx: CutoverContext): Promise<void> {
  const { inputs } = ctx;
  const deadline = Date.now() + inputs.timeouts.readinessMs;
  let lastOver: ReturnType<typeof overThreshold> = [];
  await ctx.timeline.step(
    "readiness",
    () =>
      withinDeadline("readiness", deadline, async () => {
        await requireSwitchSecrets(ctx, "readiness");
        for (;;) {
          const mirrors = await groupMirrors(ctx);
          const broken = mirrorsNotActive(mirrors);
          if (broken.length > 0)
            throw new StepError(
              "readiness",
              `mirror topics not ACTIVE: ${broken.map((m) => `${m.mirror_topic_name} is ${m.mirror_status}`).join(", ")}`,
            );
          const lags = await lagFromBothClusters(ctx.source, ctx.destination, inputs.topics);
          // The rule `npm run lag --until-ready` waits on too (lag.ts); a partition the mirror lacks counts in full.
          if (wouldPassReadiness(lags, mirrors, inputs.lagThreshold)) return lags;
          const over = overThreshold(lags, inputs.lagThreshold);
          lastOver = over;
          if (ctx.aborted()) throw new StepError("readiness", "interrupted");
          if (Date.now() > deadline) {
            const missing = over.some((l) => l.missingPartitions.length > 0);
            throw new StepError(
              "readiness",
              `lag did not fall to ${inputs.lagThreshold} within ${inputs.timeouts.readinessMs} ms: ${over.map(describeLag).join(", ")}${missing ? "; Cluster Linking adds partitions a source topic gains to its mirror on its own: check the link's state and errors, then run pulumi up again" : ""}`,
            );
          }
          ctx.progress.status(
            `readiness: lag ${over.map(describeLag).join(" ")} (threshold ${inputs.lagThreshold}, ${ctx.timeline.elapsed()})`,
          );
          await pause(200);
        }
      }).catch((e: unknown) => {
        // A read the budget cut short still reports the lag last seen, which is what the operator acts on.
        if (e instanceof StepDeadlineExceeded && lastOver.length > 0)
          throw new StepError(
            "readiness",
            `lag did not fall to ${inputs.lagThreshold} within ${inputs.timeouts.readinessMs} ms: ${lastOver.map(describeLag).join(", ")} (${e.message})`,
          );
        throw e;
      }),
    (lags) => `lag ${lags.map(describeLag).join(" ")}`,
  );
}

/**
 * 2. Fence: the route answers every request with a retriable error. Applied as a minimal change to the
 * live CR and confirmed by the Gateway; returns then, with its verification running: the source topics'
 * offsets must stay still for a window, or a producer reaches the source around the Gateway.
 */
export async function fence(
  ctx: CutoverContext,
): Promise<{ fencedAt: number; before: OffsetMap; verified: Promise<void> }> {
  const { inputs } = ctx;
  const deadline = Date.now() + inputs.timeouts.fenceMs;
  const topics = Object.keys(inputs.topics);
  const applied = await ctx.timeline.step(
    "fence",
    () =>
      named("fence", () =>
        withinDeadline("fence", deadline, async () => {
          const { generation, changed, configId } = await ctx.route.fence(inputs.fence.errorCode);
          await ctx.timeline.waitOn("gateway", () =>
            ctx.route.waitApplied(generation, deadline, ctx.aborted, configId),
          );
          const fencedAt = Date.now();
          return { fencedAt, changed, generation, before: await logEndOffsets(ctx.source, topics) };
        }),
      ),
    (r) => `${r.changed ? "applied" : "already fenced"} (generation ${r.generation})`,
  );
  // The window, then one read of the source; that read gets the fence's own budget.
  const verifyDeadline = Date.now() + inputs.timeouts.fenceVerifyMs + inputs.timeouts.fenceMs;
  const verified = ctx.timeline.step(
    "fence-verified",
    () =>
      withinDeadline("fence-verified", verifyDeadline, async () => {
        await pause(inputs.timeouts.fenceVerifyMs);
        const moved = offsetChanges(applied.before, await logEndOffsets(ctx.source, topics));
        if (moved.length > 0)
          throw new StepError(
            "fence",
            `records still reach the source after the fence, so a producer bypasses the Gateway: ${moved.join(", ")}`,
          );
        if (ctx.aborted()) throw new StepError("fence", "interrupted");
      }),
    () => `source offsets still for ${inputs.timeouts.fenceVerifyMs} ms`,
  );
  return { fencedAt: applied.fencedAt, before: applied.before, verified };
}

/**
 * The fence's verification window and the wait for the link overlap (neither holds clients any longer than
 * the other); both must pass before anything is promoted. A failure of one stops the other.
 */
async function fencedAndCaughtUp(ctx: CutoverContext): Promise<{ fencedAt: number; before: OffsetMap }> {
  const fenced = await fence(ctx);
  let failed = false;
  const caughtUp = ctx.timeline.waitOn("cluster-linking", () =>
    awaitCaughtUp({ ...ctx, aborted: () => ctx.aborted() || failed }),
  );
  try {
    await Promise.all([fenced.verified, caughtUp]);
  } catch (e) {
    failed = true;
    await Promise.allSettled([fenced.verified, caughtUp]);
    throw e;
  }
  return { fencedAt: fenced.fencedAt, before: fenced.before };
}

/**
 * Past promotion: the source's log-end offsets must still be those taken when the fence was confirmed. A
 * record the source took since then was acknowledged to its producer and will never reach the promoted
 * destination. Nothing can be rolled back any more, so this fails loudly, naming the partitions.
 */
async function sourceStillSinceFence(
  ctx: CutoverContext,
  before: OffsetMap,
  step: string,
  where: string,
): Promise<void> {
  const moved = recordsSince(before, await logEndOffsets(ctx.source, Object.keys(ctx.inputs.topics)));
  if (moved.length === 0) return;
  throw new StepError(
    step,
    `${moved.join("; ")} reached the source after the fence. Those records were acknowledged by the source after the group's clients were fenced, and they are not on the destination (its mirrors are promoted and copy nothing more): a client bypasses the Gateway, or a Gateway pod was not fenced. Nothing can be rolled back past promotion: ${where}. Find and stop what writes to the source directly, then copy those records from the source to the destination (same topic, partition and offsets as named here)`,
  );
}

/**
 * Refuses when a STOPPED mirror lacks records its source topic holds (divergence.ts). PENDING_STOPPED mirrors
 * still copy until they stop, so only STOPPED ones are compared.
 */
async function refuseRecordsPromotedMirrorsLack(
  ctx: CutoverContext,
  step: string,
  route: RouteAtRefusal,
): Promise<void> {
  const stopped = new Set(
    (await groupMirrors(ctx)).filter((m) => m.mirror_status === "STOPPED").map((m) => m.mirror_topic_name),
  );
  const promoted = Object.fromEntries(Object.entries(ctx.inputs.topics).filter(([, mirror]) => stopped.has(mirror)));
  const diverged = await promotedBehindSource(ctx.source, ctx.destination, promoted);
  if (diverged.length > 0) throw new StepError(step, lostRecordsReason(ctx.inputs.group, diverged, route));
}

/**
 * 3a. Before promoting: every mirror has caught up (lag 0), and the consumer groups' committed offsets on
 * the destination equal the source's, i.e. one offset sync ran after the fence. Consumers then resume on
 * the destination exactly where they committed. Nothing is promoted yet, so a failure here rolls back.
 */
export async function awaitCaughtUp(ctx: CutoverContext): Promise<void> {
  const { inputs } = ctx;
  const deadline = Date.now() + inputs.timeouts.promoteMs;
  await ctx.timeline.step("caught-up", () =>
    withinDeadline("caught-up", deadline, async () => {
      for (;;) {
        const promoted = new Set(
          (await groupMirrors(ctx)).filter((m) => PROMOTED.has(m.mirror_status)).map((m) => m.mirror_topic_name),
        );
        const lags = await lagFromBothClusters(ctx.source, ctx.destination, inputs.topics);
        const lagging = lags.filter((l) => !promoted.has(l.topic) && !caughtUp(l));
        const unsynced = lagging.length === 0 ? await unsyncedGroups(ctx) : [];
        if (lagging.length === 0 && unsynced.length === 0) {
          // The last moment to turn back: the switch after promotion must not find a Secret gone since readiness.
          await requireSwitchSecrets(ctx, "caught-up");
          return;
        }
        if (ctx.aborted()) throw new StepError("caught-up", "interrupted");
        if (Date.now() > deadline) {
          throw new StepError(
            "caught-up",
            lagging.length > 0
              ? `mirrors still lag after ${inputs.timeouts.promoteMs} ms: ${lagging.map(describeLag).join(", ")}`
              : `consumer offsets not synced to the destination after ${inputs.timeouts.promoteMs} ms: ${unsynced.join("; ")}`,
          );
        }
        ctx.progress.status(
          lagging.length > 0
            ? `draining: ${lagging.map(describeLag).join(" ")}`
            : `waiting for the offset sync: ${unsynced.join("; ")}`,
        );
        await pause(100);
      }
    }),
  );
}

/**
 * 3b. Promote: the mirror topics become ordinary writable topics. Only mirrors not yet promoted are asked:
 * a PENDING_STOPPED one is the link's promotion in progress, which it finishes on its own (lag 0, a last
 * offset sync), so the step waits for it rather than asking again. The wait is the step's only retry: at
 * promoteMs it gives up with the route fenced, and the next up waits again.
 */
export async function promote(ctx: CutoverContext): Promise<void> {
  const { inputs } = ctx;
  const deadline = Date.now() + inputs.timeouts.promoteMs;
  await ctx.timeline.step(
    "promote",
    () =>
      withinDeadline("promote", deadline, async () => {
        const pending = (await groupMirrors(ctx))
          .filter((m) => !PROMOTED.has(m.mirror_status))
          .map((m) => m.mirror_topic_name);
        if (pending.length > 0) {
          const results = await ctx.rest.promoteMirrors(inputs.link.name, { mirror_topic_names: pending });
          const failed = results.filter((r) => r.error_code && !alreadyStopped(r));
          if (failed.length > 0)
            throw new StepError(
              "promote",
              `the link refused to promote ${failed.map((r) => `${r.mirror_topic_name}: ${r.error_message}`).join("; ")}`,
            );
        }
        for (;;) {
          const notYet = (await groupMirrors(ctx)).filter((m) => m.mirror_status !== "STOPPED");
          if (notYet.length === 0) return pending.length;
          if (Date.now() > deadline)
            throw new StepError(
              "promote",
              `not STOPPED after ${inputs.timeouts.promoteMs} ms: ${notYet.map((m) => `${m.mirror_topic_name} ${m.mirror_status} (lag ${topicLag(m)})`).join(", ")}. The route stays fenced and the group's clients are held: nothing rolls back past promotion. The link finishes a PENDING_STOPPED promotion on its own once the mirror's lag is 0 and a last consumer offset sync ran; a lag that does not fall points at the link (its state and errors, the source's reachability from it). Run pulumi up again: it waits for these mirrors again (up to groups[].timeouts.promoteMs, which you may raise), then switches`,
            );
          await pause(100);
        }
      }),
    (n) => `${n} promoted, ${Object.keys(inputs.topics).length - n} already were`,
  );
}

/**
 * 3b. Consumer groups: each of the group's consumer groups that runs KIP-848 consumers on the source becomes a
 * consumer group on the destination, where the offset sync made it classic, so those consumers rejoin there
 * at the switch instead of dying (consumerGroupConversion.ts). Past promotion nothing may hold the clients:
 * what cannot be done is a warning naming the applications to restart, and the switch goes on.
 */
export async function prepareConsumerGroups(ctx: CutoverContext): Promise<void> {
  const convert = ctx.convertKip848Groups;
  if (!convert || ctx.inputs.consumerGroups.length === 0) return;
  const start = Date.now();
  let results: Conversion[];
  try {
    results = await withinDeadline("consumer-groups", start + CONVERT_GROUPS_MS, () =>
      convert(ctx.inputs.consumerGroups, start + CONVERT_GROUPS_MS),
    );
  } catch (e) {
    ctx.progress.warn(
      `could not tell which consumer groups use KIP-848 on the source (${(e as Error).message}); none is converted, so KIP-848 consumers, if any, will need a restart after the switch`,
    );
    return;
  }
  if (results.length === 0) return;
  ctx.timeline.record(
    "consumer-groups",
    start,
    results.every((r) => r.outcome === "converted") ? "done" : "failed",
    results.map((r) => `${r.groupId} ${r.outcome === "converted" ? "converted" : `refused (${r.error})`}`).join(", "),
  );
  for (const r of results) {
    if (r.outcome === "converted")
      ctx.progress.info(`consumer group ${r.groupId} is a consumer group (KIP-848) on the destination now`);
    else
      ctx.progress.warn(
        `consumer group ${r.groupId} could not be made a consumer group on the destination (${r.error}): its KIP-848 consumers will fail at the switch with GroupIdNotFoundException until their applications are restarted; the destination principal needs READ on the group`,
      );
  }
}

/** A conversion is two requests per group to its coordinator; it must not stretch the blocked window. */
const CONVERT_GROUPS_MS = 5_000;

/**
 * 4. Switch: the route leads to the destination, unfenced, in one apply; the Gateway drops the route's
 * connections and clients reconnect to the destination. Then the source must still be as the fence left it,
 * and the consumer groups' committed offsets on the destination are checked against the source's. Returns
 * when the switch took effect.
 */
export async function switchRoute(ctx: CutoverContext, fenceSnapshot: OffsetMap): Promise<number> {
  const { inputs } = ctx;
  const deadline = Date.now() + inputs.timeouts.switchMs;
  return ctx.timeline
    .step(
      "switch",
      () =>
        named("switch", () =>
          withinDeadline("switch", deadline, async () => {
            const { generation, configId } = await ctx.route.apply(() => inputs.gateway.destinationRoute);
            // Past promotion an interrupt must not stop the switch half-way.
            await ctx.timeline.waitOn("gateway", () =>
              ctx.route.waitApplied(generation, deadline, () => false, configId),
            );
            const switchedAt = Date.now();
            // A pod that kept the source route until the switch, or a client around the Gateway, shows here.
            await sourceStillSinceFence(
              ctx,
              fenceSnapshot,
              "switch",
              "the route leads to the destination now; run pulumi up again to check the canary",
            );
            const behind = await groupsBehindSource(ctx);
            if (behind.length > 0)
              ctx.progress.warn(
                `after the switch, committed offsets on the destination are behind the source: ${behind.join("; ")}`,
              );
            return { switchedAt, generation };
          }),
        ),
      (r) => `route leads to ${inputs.gateway.destinationRoute.streamingDomain.name} (generation ${r.generation})`,
    )
    .then((r) => r.switchedAt);
}

/**
 * 5. Canary: one record produced through the route, read back through it and found on the destination.
 * Past the switch nothing is undone: a failure says what to fix, and the next `pulumi up` checks again.
 */
export async function canary(ctx: CutoverContext): Promise<void> {
  const probe = ctx.canary;
  if (!probe) return;
  const deadline = Date.now() + ctx.inputs.timeouts.switchMs;
  await ctx.timeline.step(
    "canary",
    async () => {
      try {
        return await withinDeadline("canary", deadline, () => probe(deadline));
      } catch (e) {
        throw new StepError(
          "canary",
          `${(e as Error).message}. The mirrors are promoted and the route is switched, so nothing is rolled back: check the route's credentials (secret store, principals) and the canary's ACLs on the destination, then run pulumi up again to re-check`,
        );
      }
    },
    (proved) => proved,
  );
}

/** Compensation before promotion: the route back on the source, unfenced, as it was. */
export async function rollback(
  ctx: Pick<CutoverContext, "inputs" | "route" | "progress" | "timeline">,
  cause: Error,
): Promise<void> {
  const start = Date.now();
  // Its own budget: the step that failed may have spent all of its own.
  const deadline = start + ctx.inputs.timeouts.fenceMs;
  try {
    await withinDeadline("rollback", deadline, async () => {
      const { generation, changed, configId } = await ctx.route.restore(ctx.inputs.gateway.sourceRoute);
      if (changed) await ctx.route.waitApplied(generation, deadline, () => false, configId);
    });
    ctx.timeline.record(
      "rollback",
      start,
      "compensated",
      `route back on the source, unfenced, after: ${cause.message}`,
    );
    ctx.progress.warn(`rolled back: the route leads to the source again, unfenced (${cause.message})`);
  } catch (e) {
    ctx.timeline.record("rollback", start, "failed", (e as Error).message);
    ctx.progress.warn(
      `rollback failed, the route may still be fenced; the next pulumi up fixes it: ${(e as Error).message}`,
    );
  }
}

/** The switch applies the destination route; a Secret it refers to missing would make the Gateway reject it. */
async function requireSwitchSecrets(ctx: CutoverContext, step: string): Promise<void> {
  const missing = await ctx.route.missingSecrets(ctx.inputs.gateway.requiredSecrets);
  if (missing.length > 0)
    throw new StepError(
      step,
      `Secrets the route needs once switched do not exist in ${ctx.inputs.gateway.namespace}: ${missing.join(", ")}; the Gateway would reject the switch after the mirrors are promoted`,
    );
}

async function groupMirrors(ctx: ObserveContext): Promise<Mirror[]> {
  const wanted = new Set(Object.values(ctx.inputs.topics));
  const mirrors = (await ctx.rest.listMirrors(ctx.inputs.link.name)).filter((m) => wanted.has(m.mirror_topic_name));
  const missing = [...wanted].filter((t) => !mirrors.some((m) => m.mirror_topic_name === t));
  if (missing.length > 0)
    throw new StepError("mirrors", `not mirrored by link ${ctx.inputs.link.name}: ${missing.join(", ")}`);
  return mirrors;
}

/**
 * The one per-topic refusal of `:promote` the step accepts: Confluent's documented answer for a mirror already
 * stopped (400, "Topic '<t>' has already stopped its mirror from '<link>'"), e.g. promoted by a concurrent run
 * since the list. Any other error, whatever its words, is a refusal. The wait that follows still requires
 * STOPPED, so accepting it skips nothing.
 */
export function alreadyStopped(r: MirrorActionResult): boolean {
  return (
    r.error_code === 400 &&
    (r.error_message ?? "").startsWith(`Topic '${r.mirror_topic_name}' has already stopped its mirror from '`)
  );
}

/** A topic's lag: the sum over its partitions. */
export function topicLag(m: Mirror): number {
  return m.mirror_lags.reduce((sum, p) => sum + Number(p.lag), 0);
}

/** Groups whose committed offsets on the destination differ from the source's (for mirrored partitions). */
async function unsyncedGroups(ctx: CutoverContext): Promise<string[]> {
  return compareGroups(ctx, offsetsUnsynced);
}

/** After the switch, consumers may have moved on; only being behind the source is a problem. */
async function groupsBehindSource(ctx: CutoverContext): Promise<string[]> {
  return compareGroups(ctx, (src, dst) => dst === undefined || BigInt(dst) < BigInt(src));
}

async function compareGroups(
  ctx: CutoverContext,
  bad: (src: string, dst: string | undefined) => boolean,
): Promise<string[]> {
  const { inputs } = ctx;
  const out: string[] = [];
  for (const group of inputs.consumerGroups) {
    const { diffs } = await groupOffsetDiffs(ctx.source, ctx.destination, group, inputs.topics, bad);
    if (diffs.length > 0) out.push(`${group}: ${diffs.join(", ")}`);
  }
  return out;
}

/** Runs a step's body so that whatever fails in it (the Gateway's rejection, a timeout) says which step. */
async function named<T>(step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof StepError ? e : new StepError(step, (e as Error).message);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
