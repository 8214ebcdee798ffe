/**
 * One time budget per cutover step. A step runs its body with `withinDeadline`; every call made inside it
 * (Kubernetes, Cluster Linking REST, Kafka admin), however deep, sees the same deadline through
 * AsyncLocalStorage and stops there: an inner retry loop never adds its own minutes to the step's.
 */
import { AsyncLocalStorage } from "async_hooks";

export interface StepBudget {
  /** The step the deadline belongs to, for the error that names it. */
  readonly step: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

const budgets = new AsyncLocalStorage<StepBudget>();

/** Runs `fn` with `step`'s deadline at `at`; nested inside another step's budget, the earlier deadline wins. */
export function withinDeadline<T>(step: string, at: number, fn: () => Promise<T>): Promise<T> {
  const outer = budgets.getStore();
  const budget = outer !== undefined && outer.at < at ? outer : { step, at };
  return budgets.run(budget, fn);
}

/** The budget of the step running this code, if any. */
export function currentBudget(): StepBudget | undefined {
  return budgets.getStore();
}

/** Milliseconds left in the current step's budget; Infinity outside any step. */
export function remainingMs(now: number = Date.now()): number {
  const budget = budgets.getStore();
  return budget === undefined ? Infinity : budget.at - now;
}

/** A call cut short by its step's deadline: says which step, what was being done and how long it had. */
export class StepDeadlineExceeded extends Error {
  override readonly name = "StepDeadlineExceeded";
  constructor(
    readonly step: string,
    what: string,
    last?: string,
  ) {
    super(`${what}: stopped at the ${step} step's deadline${last ? ` (last answer: ${last})` : ""}`);
  }
}

/**
 * Waits for `work` no longer than the current step's budget allows. For calls that cannot be cancelled
 * (a kafkajs admin request): the step stops waiting and fails; the request ends on its own timeout.
 */
export async function beforeDeadline<T>(what: string, work: Promise<T>): Promise<T> {
  const budget = budgets.getStore();
  if (budget === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepDeadlineExceeded(budget.step, what)), Math.max(0, budget.at - Date.now()));
  });
  // The abandoned call may still fail later; that rejection is expected and must not surface as unhandled.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
