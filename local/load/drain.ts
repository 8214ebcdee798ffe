// Shared by the kafkajs and kcat workloads when they stop.
import { sleep } from "../../clients/retry";

/**
 * Lets a consumer catch up with what was acknowledged before it leaves: as long as it makes progress
 * (a busy machine slows it, which is not a skip), and at most a minute.
 */
export async function drain(
  acked: readonly { topic: string; producer: string; seq: number }[],
  consumed: readonly { topic: string; producer: string; seq: number }[],
): Promise<void> {
  const hardStop = Date.now() + 60_000;
  let lastCount = -1;
  let stalledSince = Date.now();
  for (;;) {
    const seen = new Set(consumed.map((c) => `${c.topic}/${c.producer}/${c.seq}`));
    if (acked.every((a) => seen.has(`${a.topic}/${a.producer}/${a.seq}`))) return;
    if (consumed.length !== lastCount) {
      lastCount = consumed.length;
      stalledSince = Date.now();
    }
    if (Date.now() - stalledSince > 15_000 || Date.now() > hardStop) return;
    await sleep(200);
  }
}
