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

export class FaultInjector {
  private queue: (Fault & { remaining: number })[] = [];

  inject(fault: Fault): void {
    this.queue.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clear(): void {
    this.queue = [];
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
