/**
 * Reserves, once per environment, the loopback ports of the Gateway routes the local stack declares: one
 * bootstrap port per group in Pulumi.local.yaml plus the broker ports after it (the Gateway emulator
 * serves broker N of a route at bootstrap + 1 + N's index in nodeIdRanges). Recorded in endpoints.json
 * as `gateway.routes`, which local/stack.ts writes into the stack config as each group's endpoint.
 */
import { endpointsFile, mergeEndpoints, readEndpoints } from "./kafka";
import { freePortBlocks } from "./kafka/ports";
import { localStackGroups } from "./topics";

/** Ports a route needs: its bootstrap and one per broker of the single-node local clusters. */
export const PORTS_PER_ROUTE = 2;

/** The route that SCRAM clients register their credentials through (gateway.scramRegistrationEndpoint). */
export const REGISTRATION_ROUTE = "scram-registration";

/** A bootstrap port whose broker ports after it are free too, none of them already `taken`. */
async function freeBlock(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const [p] = await freePortBlocks(1, PORTS_PER_ROUTE);
    const block = Array.from({ length: PORTS_PER_ROUTE }, (_, i) => p + i);
    if (block.every((b) => !taken.has(b))) {
      block.forEach((b) => taken.add(b));
      return p;
    }
  }
  throw new Error(`found no ${PORTS_PER_ROUTE} consecutive free ports on 127.0.0.1`);
}

/** Keeps the ports already recorded (and still free or served by our Gateway); picks new ones for the rest. */
export async function reserveRoutePorts(stateDir: string): Promise<Record<string, string>> {
  const file = endpointsFile(stateDir);
  const recorded = (readEndpoints(file) as { gateway?: { routes?: Record<string, string> } }).gateway?.routes ?? {};
  const taken = new Set<number>();
  const routes: Record<string, string> = {};
  for (const name of [...localStackGroups().map((g) => g.name), REGISTRATION_ROUTE]) {
    const existing = recorded[name];
    if (existing) {
      routes[name] = existing;
      const port = Number(existing.split(":")[1]);
      for (let i = 0; i < PORTS_PER_ROUTE; i++) taken.add(port + i);
      continue;
    }
    routes[name] = `127.0.0.1:${await freeBlock(taken)}`;
  }
  mergeEndpoints(file, { gateway: { routes } });
  return routes;
}
