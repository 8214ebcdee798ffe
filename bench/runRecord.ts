/**
 * One bench run as it goes into the results file: what the clients saw (stalls, gaps, loss) and what the
 * cutover's timeline says (steps, blocked window, and the part of it that was our own work).
 */
import type { CutoverRunResult } from "../local/cutoverUnderLoad";
import { rateWithin } from "./stats";

export interface StepTiming {
  readonly step: string;
  readonly outcome: string;
  /** From the start of the cutover's first step. */
  readonly startMs: number;
  readonly durationMs: number;
}

export interface BenchRun {
  readonly topics: number;
  readonly partitions: number;
  /** The rate asked of the producers, records/s over the group. */
  readonly rate: number;
  readonly repeat: number;
  readonly ok: boolean;
  readonly error?: string;
  /** Records/s acknowledged while the load ran steady, before the cutover started. */
  readonly achievedRate: number;
  /** Records/s acknowledged while `pulumi up` ran (the blocked window included). */
  readonly achievedRateDuringUp: number;
  readonly blockedWindowMs: number | null;
  readonly maxProduceStallMs: number;
  readonly maxConsumeGapMs: number;
  /** Blocked window minus the time waited on the Gateway and on Cluster Linking inside it. */
  readonly overheadMs: number | null;
  /** Inside the overhead: fence applied → source offsets verified still (the deliberate fenceVerifyMs hold). */
  readonly fenceVerifyMs: number | null;
  readonly waitedOnGatewayMs: number | null;
  readonly waitedOnClusterLinkingMs: number | null;
  /** `pulumi preview` of the cutover while the load runs (2 cores shared with it). */
  readonly previewMs: number;
  /** The same preview before the load started: the preflight's own speed. */
  readonly idlePreviewMs: number | null;
  readonly upMs: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly skipped: number;
  readonly redelivered: number;
  readonly reordered: number;
  readonly split: number;
  readonly acknowledged: number;
  readonly consumed: number;
  readonly failedSends: number;
  /** Milestones from the start of the cutover's first step (readiness). */
  readonly milestones: {
    readonly readinessDoneMs: number | null;
    readonly fenceAppliedMs: number | null;
    readonly promoteDoneMs: number | null;
    readonly switchAppliedMs: number | null;
  };
  readonly timeline: readonly StepTiming[];
}

export interface RunShape {
  readonly topics: number;
  readonly partitions: number;
  readonly rate: number;
  readonly repeat: number;
}

/** The run's record from what cutoverUnderLoad returned. */
export function runRecord(shape: RunShape, r: CutoverRunResult): BenchRun {
  const out = r.stackOutput;
  const entries = out?.timeline ?? [];
  const origin = entries.length > 0 ? Date.parse(entries[0].startedAt) : NaN;
  const since = (iso: string | undefined): number | null =>
    iso === undefined || Number.isNaN(origin) ? null : Date.parse(iso) - origin;
  const end = (step: string) => entries.find((e) => e.step === step && e.outcome === "done")?.endedAt;
  const window = out?.blockedWindow;
  const waitedGateway = window?.waitedMs.gateway ?? null;
  const waitedLink = window?.waitedMs["cluster-linking"] ?? null;
  const fenceDone = end("fence");
  return {
    ...shape,
    ok: r.upCode === 0 && window !== undefined,
    ...(r.upCode !== 0 ? { error: `pulumi up exited ${r.upCode}` } : {}),
    achievedRate: round(rateWithin(r.ackedAt, r.times.loadReadyAt, r.times.previewStartedAt)),
    achievedRateDuringUp: round(rateWithin(r.ackedAt, r.times.upStartedAt, r.times.upEndedAt)),
    blockedWindowMs: window?.durationMs ?? r.blockedWindowMs ?? null,
    maxProduceStallMs: r.maxProduceStallMs,
    maxConsumeGapMs: r.maxConsumeGapMs,
    overheadMs: window ? window.durationMs - window.waitedMs.gateway - window.waitedMs["cluster-linking"] : null,
    fenceVerifyMs: window && fenceDone ? Date.parse(fenceDone) - Date.parse(window.fenceAppliedAt) : null,
    waitedOnGatewayMs: waitedGateway,
    waitedOnClusterLinkingMs: waitedLink,
    previewMs: r.previewMs,
    idlePreviewMs: r.idlePreviewMs ?? null,
    upMs: r.times.upEndedAt - r.times.upStartedAt,
    lost: r.lost.length,
    duplicated: r.duplicated,
    skipped: r.skipped.length,
    redelivered: r.redelivered,
    reordered: r.reordered.length,
    split: r.split.length,
    acknowledged: r.acknowledged,
    consumed: r.consumed,
    failedSends: r.failedSends,
    milestones: {
      readinessDoneMs: since(end("readiness")),
      fenceAppliedMs: since(window?.fenceAppliedAt),
      promoteDoneMs: since(end("promote")),
      switchAppliedMs: since(window?.switchAppliedAt),
    },
    timeline: entries.map((e) => ({
      step: e.step,
      outcome: e.outcome,
      startMs: since(e.startedAt) ?? 0,
      durationMs: e.durationMs,
    })),
  };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/** A run that did not finish (the environment, the deploy or the cutover failed): kept, with why. */
export function failedRun(shape: RunShape, error: string): BenchRun {
  return {
    ...shape,
    ok: false,
    error,
    achievedRate: 0,
    achievedRateDuringUp: 0,
    blockedWindowMs: null,
    maxProduceStallMs: 0,
    maxConsumeGapMs: 0,
    overheadMs: null,
    fenceVerifyMs: null,
    waitedOnGatewayMs: null,
    waitedOnClusterLinkingMs: null,
    previewMs: 0,
    idlePreviewMs: null,
    upMs: 0,
    lost: 0,
    duplicated: 0,
    skipped: 0,
    redelivered: 0,
    reordered: 0,
    split: 0,
    acknowledged: 0,
    consumed: 0,
    failedSends: 0,
    milestones: { readinessDoneMs: null, fenceAppliedMs: null, promoteDoneMs: null, switchAppliedMs: null },
    timeline: [],
  };
}
