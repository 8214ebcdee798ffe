import * as fs from "node:fs";
import * as net from "node:net";

function listenOn(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => resolve(server));
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The kernel's ephemeral port range, from which every outgoing connection takes its local port. */
export function ephemeralPortRange(file = "/proc/sys/net/ipv4/ip_local_port_range"): [number, number] {
  try {
    const [low, high] = fs.readFileSync(file, "utf8").trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low > 0 && low <= high) return [low, high];
  } catch {
    // not Linux, or no /proc: Linux's default range is the usual one elsewhere too
  }
  return [32768, 60999];
}

/**
 * Where we pick listening ports: below the ephemeral range when there is room, else above it. A port we
 * reserve now and listen on minutes later (a Gateway route, a restarted broker) must lie outside that
 * range, or any client connection opened meanwhile may take it as its local port and the listen fails.
 */
export function reservablePortRange([low, high]: [number, number] = ephemeralPortRange()): [number, number] {
  const FIRST = 10_000;
  if (low - FIRST >= 5_000) return [FIRST, low - 1];
  if (65_535 - high >= 5_000) return [high + 1, 65_535];
  return [FIRST, 65_535]; // no room outside: fall back to anywhere free
}

/**
 * `count` distinct runs of `length` consecutive free ports on 127.0.0.1, outside the ephemeral range; each
 * run starts at the returned port. Every port is held open until all are chosen, so one call never hands
 * out a port twice.
 */
export async function freePortBlocks(count: number, length = 1): Promise<number[]> {
  const [first, last] = reservablePortRange();
  const held: net.Server[] = [];
  const starts: number[] = [];
  try {
    for (let attempt = 0; starts.length < count; attempt++) {
      if (attempt >= 200) throw new Error(`found no ${length} consecutive free ports on 127.0.0.1 in ${first}-${last}`);
      const start = first + Math.floor(Math.random() * (last - first + 2 - length));
      const block: net.Server[] = [];
      for (let p = start; p < start + length; p++) {
        const server = await listenOn(p).catch(() => undefined);
        if (!server) break;
        block.push(server);
      }
      held.push(...block);
      if (block.length === length) starts.push(start);
    }
    return starts;
  } finally {
    await Promise.all(held.map(close));
  }
}

/** `count` distinct free ports on 127.0.0.1, outside the ephemeral range. */
export function freePorts(count: number): Promise<number[]> {
  return freePortBlocks(count, 1);
}

/** True when nothing listens on 127.0.0.1:port (we can bind it). */
export async function isPortFree(port: number): Promise<boolean> {
  try {
    await close(await listenOn(port));
    return true;
  } catch {
    return false;
  }
}
