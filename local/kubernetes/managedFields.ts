// Field sets and their `fieldsV1` encoding, as in `metadata.managedFields`.
//
// A field path is the list of object keys from the root. Leaves are scalars, lists and empty objects;
// every list is treated as atomic (as the apiserver does for a CRD list without x-kubernetes-list-type),
// so a list is owned as one field (`"f:routes": {}`) and never per element (`k:`/`v:`/`i:` keys are only
// kept opaque when a client writes them). Maps of free keys (labels, annotations, Secret data) get the
// `".": {}` marker the real encoding gives a map node.
import type { JsonObject, JsonValue } from "./types";
import { isJsonObject } from "./types";

export type FieldPath = string[];

/** A set of field paths, keyed by their JSON encoding. */
export class FieldSet {
  private readonly paths = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.add(p);
  }

  add(p: FieldPath): void {
    this.paths.set(JSON.stringify(p), p);
  }

  delete(p: FieldPath): void {
    this.paths.delete(JSON.stringify(p));
  }

  has(p: FieldPath): boolean {
    return this.paths.has(JSON.stringify(p));
  }

  get size(): number {
    return this.paths.size;
  }

  values(): FieldPath[] {
    return [...this.paths.values()];
  }

  /** Paths of this set equal to p, above it, or below it. */
  related(p: FieldPath): FieldPath[] {
    return this.values().filter((q) => isPrefix(q, p) || isPrefix(p, q));
  }

  minus(other: FieldSet): FieldSet {
    return new FieldSet(this.values().filter((p) => !other.has(p)));
  }
}

export function isPrefix(prefix: FieldPath, p: FieldPath): boolean {
  return prefix.length <= p.length && prefix.every((k, i) => p[i] === k);
}

/** Fields the server sets or that identify the object: never owned by a manager. */
const IGNORED: FieldPath[] = [
  ["apiVersion"],
  ["kind"],
  ["metadata", "name"],
  ["metadata", "namespace"],
  ["metadata", "uid"],
  ["metadata", "resourceVersion"],
  ["metadata", "generation"],
  ["metadata", "creationTimestamp"],
  ["metadata", "deletionTimestamp"],
  ["metadata", "managedFields"],
  ["metadata", "selfLink"],
  ["metadata", "generateName"],
];

const MAP_NODES: FieldPath[] = [["metadata", "labels"], ["metadata", "annotations"], ["data"], ["stringData"]];

function ignored(p: FieldPath): boolean {
  return IGNORED.some((i) => isPrefix(i, p));
}

/** The leaf fields a (partial) object sets. `null` values set nothing. */
export function fieldsOf(value: JsonObject): FieldSet {
  const out = new FieldSet();
  const walk = (v: JsonValue, path: FieldPath): void => {
    if (v === null) return;
    if (isJsonObject(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) walk(child, [...path, k]);
      return;
    }
    if (path.length > 0 && !ignored(path)) out.add(path);
  };
  walk(value, []);
  return out;
}

export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const p of set.values()) {
    let node = root;
    p.forEach((k, i) => {
      const key = k === "." || /^[kvi]:/.test(k) ? k : `f:${k}`;
      if (MAP_NODES.some((m) => m.length === i && isPrefix(m, p))) node["."] = {};
      const next = node[key];
      node = isJsonObject(next) ? next : (node[key] = {});
    });
  }
  return root;
}

export function fromFieldsV1(fields: JsonObject): FieldSet {
  const out = new FieldSet();
  const walk = (node: JsonObject, path: FieldPath): void => {
    const keys = Object.keys(node).filter((k) => k !== ".");
    if (keys.length === 0 && path.length > 0) out.add(path);
    for (const k of keys) {
      const child = node[k];
      const name = k.startsWith("f:") ? k.slice(2) : k;
      walk(isJsonObject(child) ? child : {}, [...path, name]);
    }
  };
  walk(fields, []);
  return out;
}

/** The dotted form used in conflict messages: `.spec.routes`. */
export function pathString(p: FieldPath): string {
  return p.map((k) => (/^[A-Za-z0-9_-]+$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`)).join("");
}

export function getPath(obj: JsonValue | undefined, p: FieldPath): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const k of p) {
    if (!isJsonObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Removes the field at p, then any object above it that became empty (never the root). */
export function deletePath(obj: JsonObject, p: FieldPath): void {
  const parents: JsonObject[] = [obj];
  for (const k of p.slice(0, -1)) {
    const next = parents[parents.length - 1][k];
    if (!isJsonObject(next)) return;
    parents.push(next);
  }
  delete parents[parents.length - 1][p[p.length - 1]];
  for (let i = parents.length - 1; i > 0; i--) {
    if (Object.keys(parents[i]).length > 0) break;
    delete parents[i - 1][p[i - 1]];
  }
}
