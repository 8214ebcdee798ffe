import { ApiKey } from "../protocol/apiKeys";
import { isStruct, type Struct, type Value } from "../protocol/codec";
import type { Protocol } from "../protocol/protocol";
import type { HostPort } from "./config";

const COORDINATOR_NOT_AVAILABLE = 15;

/** Where the gateway serves node `nodeId`, learning the upstream address on the way; undefined if unmapped. */
export type AddressMapper = (nodeId: number, upstream: HostPort) => HostPort | undefined;

/** The APIs whose responses carry broker addresses. */
export const ADDRESS_APIS: ReadonlySet<number> = new Set([
  ApiKey.Metadata,
  ApiKey.FindCoordinator,
  ApiKey.DescribeCluster,
]);

function rewriteNode(node: Struct, idField: string, map: AddressMapper): boolean {
  const id = node[idField];
  const host = node.Host;
  const port = node.Port;
  if (typeof id !== "number" || typeof host !== "string" || typeof port !== "number") return true;
  const mapped = map(id, { host, port });
  if (!mapped) return false;
  node.Host = mapped.host;
  node.Port = mapped.port;
  return true;
}

function rewriteList(list: Value | undefined, idField: string, map: AddressMapper): Value[] {
  if (!Array.isArray(list)) return [];
  // A broker the gateway has no port for is left out: advertising it would send clients around the gateway.
  return list.filter((node) => isStruct(node) && rewriteNode(node, idField, map));
}

/** Rewrites broker addresses in Metadata, FindCoordinator and DescribeCluster responses, in place. */
export function rewriteAddresses(apiKey: number, body: Struct, map: AddressMapper): void {
  if (apiKey === ApiKey.Metadata) body.Brokers = rewriteList(body.Brokers, "NodeId", map);
  else if (apiKey === ApiKey.DescribeCluster) body.Brokers = rewriteList(body.Brokers, "BrokerId", map);
  else if (apiKey === ApiKey.FindCoordinator) {
    const nodes = Array.isArray(body.Coordinators) ? body.Coordinators.filter(isStruct) : [body];
    for (const node of nodes) {
      if (node.ErrorCode !== 0 || node.NodeId === -1) continue;
      if (!rewriteNode(node, "NodeId", map)) {
        node.ErrorCode = COORDINATOR_NOT_AVAILABLE;
        node.NodeId = -1;
        node.Host = "";
        node.Port = -1;
      }
    }
  }
}

/**
 * Caps the versions an ApiVersions response offers to what the gateway's specs describe (so it can rewrite,
 * fence and answer every request it lets through) and drops APIs the specs do not know.
 */
export function capApiVersions(body: Struct, protocol: Protocol): void {
  if (!Array.isArray(body.ApiKeys)) return;
  const kept: Value[] = [];
  for (const entry of body.ApiKeys) {
    if (!isStruct(entry) || typeof entry.ApiKey !== "number" || typeof entry.MaxVersion !== "number") continue;
    if (!protocol.knows(entry.ApiKey)) continue;
    entry.MaxVersion = Math.min(entry.MaxVersion, protocol.specs.maxVersion(entry.ApiKey));
    if (typeof entry.MinVersion === "number" && entry.MinVersion > entry.MaxVersion) continue;
    kept.push(entry);
  }
  body.ApiKeys = kept;
}

/** Adds `apiKey` (all versions the specs describe) to an ApiVersions response that lacks it: for APIs the gateway answers itself. */
export function ensureApiVersion(body: Struct, protocol: Protocol, apiKey: number): void {
  if (!Array.isArray(body.ApiKeys) || !protocol.knows(apiKey)) return;
  if (body.ApiKeys.some((e) => isStruct(e) && e.ApiKey === apiKey)) return;
  body.ApiKeys.push({ ApiKey: apiKey, MinVersion: 0, MaxVersion: protocol.specs.maxVersion(apiKey) });
  body.ApiKeys.sort((a, b) => (isStruct(a) && isStruct(b) ? Number(a.ApiKey) - Number(b.ApiKey) : 0));
}
