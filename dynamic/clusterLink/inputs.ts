// What the cluster-link and mirror-topic providers share: the destination's REST access, the preview's
// unknown sentinel, per-property check failures, input diffs, and errors that never carry a credential.
import type * as pulumi from "@pulumi/pulumi";
import { ClusterLinkRestClient } from "../../clients/clusterLinkRest";

/**
 * What a dynamic provider receives for an input that is not known yet (a preview of a stack whose
 * destination is still to be created). The SDK's `runtime/rpc.ts` `unknownValue`; the provider process
 * has no `isDryRun()`, so this value is the only sign of a preview.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** The destination cluster's REST API and the (admin) API key the providers call it with. */
export interface DestinationAccess {
  /** `https://pkc-….confluent.cloud:443` */
  readonly restEndpoint: string;
  /** The destination's `lkc-…` id: links and mirrors live on the cluster that pulls. */
  readonly clusterId: string;
  readonly apiKey: string;
  /** Secret. */
  readonly apiSecret: string;
  /** PEM CAs the REST endpoint's certificate chains to; unset: the system trust store. */
  readonly restCaCertificates?: string;
}

/** A REST client for `d`, with the client's default timeouts and retries. */
export function restClient(d: DestinationAccess): ClusterLinkRestClient {
  return new ClusterLinkRestClient({
    restEndpoint: d.restEndpoint,
    clusterId: d.clusterId,
    apiKey: d.apiKey,
    apiSecret: d.apiSecret,
    ...(d.restCaCertificates ? { caCertificates: d.restCaCertificates } : {}),
  });
}

/** Collects `check` failures, one per property, with what is wrong and what to do. */
export class Failures {
  readonly list: pulumi.dynamic.CheckFailure[] = [];

  add(property: string, reason: string): void {
    this.list.push({ property, reason });
  }

  /** True (and nothing reported) when `value` is the preview's unknown: it is checked at up. */
  known(value: unknown): boolean {
    return !isUnknown(value);
  }
}

/** Kafka's rule for topic names, which Cluster Linking also applies to link names. */
export const KAFKA_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const REST_URL = /^https?:\/\/[^\s/:]+(:\d{1,5})?\/?$/;

export function checkString(
  f: Failures,
  inputs: Record<string, unknown>,
  key: string,
  what: string,
  opts: { pattern?: RegExp; patternHelp?: string; secret?: boolean } = {},
): void {
  const value = inputs[key];
  if (!f.known(value)) return;
  if (typeof value !== "string" || value.trim() === "") {
    f.add(key, `is not set: ${what}`);
    return;
  }
  if (opts.pattern && !opts.pattern.test(value)) {
    // A secret's value is never repeated, not even a wrong one.
    f.add(
      key,
      opts.secret
        ? `${opts.patternHelp ?? "is malformed"}`
        : `is ${JSON.stringify(value)}, which ${opts.patternHelp ?? "is malformed"}`,
    );
  }
}

/** Checks the REST endpoint, cluster id and API key the provider calls the destination with. */
export function checkDestination(f: Failures, inputs: Record<string, unknown>): void {
  checkString(
    f,
    inputs,
    "restEndpoint",
    "the destination cluster's REST endpoint (https://pkc-….confluent.cloud:443)",
    {
      pattern: REST_URL,
      patternHelp: "is not an http(s)://host[:port] URL: give the destination cluster's REST endpoint",
    },
  );
  checkString(f, inputs, "clusterId", "the destination cluster's id (lkc-…)", {
    pattern: /^[a-zA-Z0-9._-]+$/,
    patternHelp: "is not a cluster id such as lkc-abc123",
  });
  checkString(f, inputs, "apiKey", "the id of a destination cluster API key allowed to manage cluster links");
  checkString(f, inputs, "apiSecret", "the secret of the destination cluster API key (a Pulumi secret)", {
    secret: true,
  });
}

/** The keys of `keys` whose value differs between `olds` and `news` (undefined and absent are equal). */
export function changedKeys(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  keys: readonly string[],
): string[] {
  return keys.filter((k) => canonical(olds[k]) !== canonical(news[k]));
}

/**
 * A diff by key lists: any `replaceKeys` change replaces (delete first: two resources of one name cannot
 * coexist), any other listed change updates in place.
 */
export function diffByKeys(
  olds: object,
  news: object,
  replaceKeys: readonly string[],
  updateKeys: readonly string[],
): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
  const o = olds as Record<string, unknown>;
  const n = news as Record<string, unknown>;
  const replaces = changedKeys(o, n, replaceKeys);
  const updates = changedKeys(o, n, updateKeys);
  return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 };
}

function canonical(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    return `{${Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * `err` as an Error whose message has every credential in `secrets` replaced by `[secret]`, and `context`
 * in front. The REST client already keeps headers and bodies out of its errors; this is the belt to
 * those braces, for server messages that might echo a value back.
 */
export function scrubbed(err: unknown, context: string, secrets: readonly (string | undefined)[]): Error {
  let message = err instanceof Error ? err.message : String(err);
  for (const s of secrets) if (s && s.length >= 4) message = message.split(s).join("[secret]");
  return new Error(`${context}: ${message}`);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
