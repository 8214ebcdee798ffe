// Request bodies and the non-apply patch formats: JSON merge patch (RFC 7386), JSON patch (RFC 6902),
// and strategic merge patch treated as a merge patch (exact for maps and atomic lists, which is all the
// Gateway CR and Secret have).
import { parse as parseYaml } from "yaml";
import { badRequest } from "./errors";
import type { JsonObject, JsonValue } from "./types";
import { clone, deepEqual, isJsonObject } from "./types";

export const APPLY_PATCH = "application/apply-patch+yaml";
export const MERGE_PATCH = "application/merge-patch+json";
export const JSON_PATCH = "application/json-patch+json";
export const STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";

export function parseJson(body: string): JsonValue {
  try {
    return JSON.parse(body) as JsonValue;
  } catch (e) {
    throw badRequest(`error decoding request body: ${(e as Error).message}`);
  }
}

/** An apply body: YAML, of which JSON is a subset. */
export function parseYamlOrJson(body: string): JsonValue {
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    try {
      return (parseYaml(body) ?? null) as JsonValue;
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
  }
}

export function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return clone(patch);
  const out: JsonObject = isJsonObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unescape(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw badRequest(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path.slice(1).split("/").map(unescape);
}

function parentOf(doc: JsonValue, tokens: string[], path: string): { parent: JsonObject | JsonValue[]; key: string } {
  let cur: JsonValue = doc;
  for (const t of tokens.slice(0, -1)) {
    const next: JsonValue | undefined = Array.isArray(cur) ? cur[Number(t)] : isJsonObject(cur) ? cur[t] : undefined;
    if (next === undefined)
      throw badRequest(`the server rejected our request due to an error in our request: path ${path} does not exist`);
    cur = next;
  }
  if (!Array.isArray(cur) && !isJsonObject(cur)) throw badRequest(`path ${path} does not exist`);
  return { parent: cur, key: tokens[tokens.length - 1] };
}

function read(doc: JsonValue, path: string): JsonValue {
  const tokens = pointer(path);
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens, path);
  const v = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (v === undefined) throw badRequest(`path ${path} does not exist`);
  return v;
}

function remove(doc: JsonValue, path: string): void {
  const { parent, key } = parentOf(doc, pointer(path), path);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (key in parent) delete parent[key];
  else throw badRequest(`path ${path} does not exist`);
}

function add(doc: JsonValue, path: string, value: JsonValue, replace: boolean): JsonValue {
  const tokens = pointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const i = key === "-" ? parent.length : Number(key);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
  } else {
    if (replace && !(key in parent)) throw badRequest(`path ${path} does not exist`);
    parent[key] = value;
  }
  return doc;
}

export function jsonPatch(target: JsonValue, ops: JsonValue): JsonValue {
  // `null` is an empty patch: the kubernetes provider sends exactly that (a marshalled nil slice) before
  // every server-side-apply update, and the apiserver's JSON patch decoder accepts it as no operations.
  if (ops === null) return clone(target);
  if (!Array.isArray(ops)) throw badRequest("a JSON patch must be a list of operations");
  let doc = clone(target);
  for (const op of ops) {
    if (!isJsonObject(op) || typeof op.op !== "string" || typeof op.path !== "string") {
      throw badRequest("a JSON patch operation needs op and path");
    }
    const value = op.value === undefined ? null : clone(op.value);
    switch (op.op) {
      case "add":
        doc = add(doc, op.path, value, false);
        break;
      case "replace":
        doc = add(doc, op.path, value, true);
        break;
      case "remove":
        remove(doc, op.path);
        break;
      case "test":
        if (!deepEqual(read(doc, op.path), op.value)) throw badRequest(`testing value ${op.path} failed`);
        break;
      case "move":
      case "copy": {
        if (typeof op.from !== "string") throw badRequest(`${op.op} needs from`);
        const v = clone(read(doc, op.from));
        if (op.op === "move") remove(doc, op.from);
        doc = add(doc, op.path, v, false);
        break;
      }
      default:
        throw badRequest(`unknown JSON patch operation ${JSON.stringify(op.op)}`);
    }
  }
  return doc;
}
