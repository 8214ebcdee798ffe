/**
 * Checks one HTTP exchange with the Cluster Linking API against the public description: the request is an
 * operation the API has, with its query parameters and body; the answer has the operation's success status
 * and shape, or the error envelope.
 */
import Ajv, { type ValidateFunction } from "ajv";
import { ERROR_SCHEMA, OPERATIONS, type Operation } from "./description";

export interface Exchange {
  readonly method: string;
  /** The URL path as sent, e.g. /kafka/v3/clusters/lkc-1/links/l1/mirrors. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Parsed JSON, or undefined when the request had no body. */
  readonly requestBody: unknown;
  readonly status: number;
  /** Parsed JSON, the raw text when it was not JSON, or undefined when there was no content. */
  readonly responseBody: unknown;
}

const ajv = new Ajv({ allErrors: true, strict: true });
const compiled = new Map<object, ValidateFunction>();

function validate(schema: object, value: unknown, what: string): string[] {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  if (fn(value)) return [];
  return (fn.errors ?? []).map((e) => {
    const extra = e.keyword === "additionalProperties" ? ` '${String(e.params.additionalProperty)}'` : "";
    const allowed = e.keyword === "enum" ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : "";
    return `${what}${e.instancePath || ""} ${e.message ?? e.keyword}${extra}${allowed}`;
  });
}

const PREFIX = /^\/kafka\/v3\/clusters\/[^/]+(\/.*)$/;

/** Literal paths (links/-/mirrors) before templated ones, as a router resolves them. */
const byLiteralFirst = [...OPERATIONS].sort(
  (a, b) => (a.path.match(/\{/g) ?? []).length - (b.path.match(/\{/g) ?? []).length,
);

export function operationOf(method: string, path: string): Operation | undefined {
  const rest = PREFIX.exec(path)?.[1];
  if (rest === undefined) return undefined;
  const segments = rest.split("/").slice(1);
  return byLiteralFirst.find((op) => {
    if (op.method !== method.toUpperCase()) return false;
    const template = op.path.split("/").slice(1);
    if (template.length !== segments.length) return false;
    return template.every((t, i) => {
      const s = segments[i];
      const param = /^\{[a-z_]+\}(.*)$/.exec(t);
      // A template segment `{link_name}` matches one segment; `{x}:suffix` is not used, suffixes are literal.
      return param ? s !== "" && param[1] === "" && !s.includes(":") : s === t;
    });
  });
}

/** Every way the exchange departs from the API, as readable sentences; empty when it conforms. */
export function violations(e: Exchange): string[] {
  const where = `${e.method} ${e.path}`;
  const op = operationOf(e.method, e.path);
  if (!op) return [`${where}: no operation of the API has this method and path`];
  const out: string[] = [];
  for (const name of e.query.keys())
    if (!op.query.includes(name)) out.push(`${where} (${op.id}): query parameter '${name}' is not defined`);
  if (op.request) {
    if (e.requestBody === undefined) out.push(`${where} (${op.id}): the request has no body`);
    else out.push(...validate(op.request, e.requestBody, `${op.id} request body`));
  } else if (e.requestBody !== undefined) out.push(`${where} (${op.id}): the operation takes no request body`);

  if (e.status === 429) return out; // rate limited: an HTML page, by the spec
  if (e.status >= 400) {
    out.push(...validate(ERROR_SCHEMA, e.responseBody, `${op.id} error body (${e.status})`));
    const code = (e.responseBody as { error_code?: unknown } | undefined)?.error_code;
    if (typeof code === "number" && code !== e.status && Math.floor(code / 100) !== e.status)
      out.push(`${op.id}: error_code ${code} does not belong to HTTP ${e.status}`);
    return out;
  }
  if (e.status !== op.success) out.push(`${where} (${op.id}): success is ${op.success}, answered ${e.status}`);
  if (op.response) out.push(...validate(op.response, e.responseBody, `${op.id} response`));
  else if (e.responseBody !== undefined) out.push(`${where} (${op.id}): the success answer has no content`);
  return out;
}
