// Test hooks: make the next matching requests fail with 429 (HTML body, like Confluent Cloud's DoS
// filter) or a 5xx, to exercise client retries. Reachable only through the in-process API
// (`emulator.faults`) or, for the daemon, an HTTP header carrying a token that only the state dir's
// owner can read — product code has neither.
export interface Fault {
  status: 429 | 500 | 502 | 503 | 504;
  /** error_code in the envelope for 5xx (default 50003, the retriable Kafka error). */
  errorCode?: number;
  /** Only requests whose path matches; default all. */
  pathPattern?: RegExp;
  /** How many requests to fail (default 1). */
  times?: number;
}

/** A mirror action (e.g. promote) the link refuses for one topic, answered in that topic's entry of the result. */
export interface MirrorRefusal {
  readonly action: string;
  readonly mirror: string;
  readonly message: string;
}

export class FaultInjector {
  private queue: (Fault & { remaining: number })[] = [];
  private refusals: MirrorRefusal[] = [];

  /** The next `action` on `mirror` is refused with `message` (once); the other topics of the request proceed. */
  refuseMirrorAction(refusal: MirrorRefusal): void {
    this.refusals.push(refusal);
  }

  /** The refusal for this action on this mirror, if any (consumes it). */
  takeMirrorRefusal(action: string, mirror: string): string | undefined {
    const i = this.refusals.findIndex((r) => r.action === action && r.mirror === mirror);
    if (i < 0) return undefined;
    const [r] = this.refusals.splice(i, 1);
    return r.message;
  }

  inject(fault: Fault): void {
    this.queue.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clear(): void {
    this.queue = [];
    this.refusals = [];
  }

  /** The fault to answer this request with, if any (consumes one use). */
  take(path: string): Fault | undefined {
    const fault = this.queue.find((f) => f.remaining > 0 && (!f.pathPattern || f.pathPattern.test(path)));
    if (!fault) return undefined;
    fault.remaining--;
    this.queue = this.queue.filter((f) => f.remaining > 0);
    return fault;
  }
}
