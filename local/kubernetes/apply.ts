// Server-side apply and the field ownership of ordinary writes, over plain JSON objects.
//
// apply(): the applier owns exactly the fields of its applied configuration; a field another manager
// owns with a different value is a conflict (or, with force, moves to the applier); fields the applier
// owned before and no longer sends are removed unless another manager still owns them.
// recordUpdate(): an ordinary write (create, PUT, merge/JSON patch) makes its manager the owner of every
// field it changed, taking them from the others.
import { ApiError } from "./errors";
import type { FieldPath } from "./managedFields";
import {
  FieldSet,
  deletePath,
  fieldsOf,
  fromFieldsV1,
  getPath,
  isPrefix,
  pathString,
  toFieldsV1,
} from "./managedFields";
import type { JsonObject, JsonValue, ManagedFieldsEntry } from "./types";
import { clone, deepEqual, isJsonObject } from "./types";

export type Subresource = "" | "status";

export interface Conflict {
  entry: ManagedFieldsEntry;
  path: FieldPath;
}

/** The part of an object a write to the main resource or to /status may change. */
export function inScope(obj: JsonObject, subresource: Subresource, hasStatus: boolean): JsonObject {
  if (subresource === "status") return isJsonObject(obj.status) ? { status: obj.status } : {};
  if (!hasStatus) return obj;
  const rest = { ...obj };
  delete rest.status;
  return rest;
}

function entryKey(e: { manager: string; operation: string; subresource?: string }): string {
  return `${e.manager}\u0000${e.operation}\u0000${e.subresource ?? ""}`;
}

function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === "Update") s += ` using ${e.apiVersion} at ${e.time}`;
  return s;
}

export function conflictError(conflicts: Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${printManager(c.entry)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].entry)}: ${pathString(conflicts[0].path)}`;
  } else {
    const byManager = new Map<string, { entry: ManagedFieldsEntry; paths: FieldPath[] }>();
    for (const c of conflicts) {
      const g = byManager.get(entryKey(c.entry)) ?? { entry: c.entry, paths: [] };
      g.paths.push(c.path);
      byManager.set(entryKey(c.entry), g);
    }
    const parts = [...byManager.values()]
      .map(({ entry, paths }) =>
        paths.length === 1
          ? `conflicts with ${printManager(entry)}: ${pathString(paths[0])}`
          : `conflicts with ${printManager(entry)}:${paths.map((p) => `\n- ${pathString(p)}`).join("")}`,
      )
      .sort();
    message = `Apply failed with ${conflicts.length} conflicts: ${parts.join("\n")}`;
  }
  return new ApiError(409, "Conflict", message, { causes });
}

/** Applied configuration merged into base: objects merge key by key, lists and scalars replace, null deletes. */
export function mergeApplied(base: JsonObject, applied: JsonObject): JsonObject {
  const out: JsonObject = clone(base);
  for (const [k, v] of Object.entries(applied)) {
    const cur = out[k];
    if (v === null) delete out[k];
    else if (isJsonObject(v) && isJsonObject(cur)) out[k] = mergeApplied(cur, v);
    else out[k] = clone(v);
  }
  return out;
}

function withoutNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isJsonObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, c] of Object.entries(v)) if (c !== null) out[k] = withoutNulls(c);
  return out;
}

interface Owned {
  entry: ManagedFieldsEntry;
  set: FieldSet;
}

function owned(entries: ManagedFieldsEntry[]): Owned[] {
  return entries.map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1) }));
}

function rebuild(list: Owned[], mine: Owned, mineChanged: boolean, now: string): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  let placed = false;
  for (const o of list) {
    if (o === mine) placed = true;
    if (o.set.size === 0) continue;
    const entry: ManagedFieldsEntry = { ...o.entry, fieldsV1: toFieldsV1(o.set) };
    if (o === mine && mineChanged) entry.time = now;
    out.push(entry);
  }
  if (!placed && mine.set.size > 0) out.push({ ...mine.entry, time: now, fieldsV1: toFieldsV1(mine.set) });
  return out;
}

export interface ApplyRequest {
  /** the live object's in-scope content, or undefined when the object does not exist yet */
  live: JsonObject | undefined;
  managedFields: ManagedFieldsEntry[];
  /** the applied configuration, already reduced to the scope of the target (main resource or status) */
  applied: JsonObject;
  manager: string;
  force: boolean;
  subresource: Subresource;
  apiVersion: string;
  now: string;
}

export interface ApplyOutcome {
  object: JsonObject;
  managedFields: ManagedFieldsEntry[];
}

export function apply(req: ApplyRequest): ApplyOutcome {
  const applied = withoutNulls(req.applied) as JsonObject;
  const live = req.live ?? {};
  const list = owned(req.managedFields);
  let mine = list.find(
    (o) => entryKey(o.entry) === entryKey({ manager: req.manager, operation: "Apply", subresource: req.subresource }),
  );
  const prevSet = mine?.set ?? new FieldSet();
  const newSet = fieldsOf(applied);

  const conflicts: Conflict[] = [];
  const taken: Array<{ from: Owned; path: FieldPath }> = [];
  for (const other of list) {
    if (other === mine) continue;
    for (const p of newSet.values()) {
      for (const q of other.set.related(p)) {
        const at = q.length >= p.length ? q : p;
        if (!deepEqual(getPath(live, at), getPath(applied, at))) {
          conflicts.push({ entry: other.entry, path: q });
          taken.push({ from: other, path: q });
        }
      }
    }
  }
  if (conflicts.length > 0 && !req.force) throw conflictError(conflicts);
  for (const t of taken) t.from.set.delete(t.path);

  const base = clone(live);
  for (const r of prevSet.minus(newSet).values()) {
    const stillOwned = list.some((o) => o !== mine && o.set.related(r).length > 0) || newSet.related(r).length > 0;
    if (!stillOwned) deletePath(base, r);
  }
  const object = mergeApplied(base, applied);

  if (!mine) {
    mine = { entry: newEntry(req, "Apply"), set: new FieldSet() };
    list.push(mine);
  }
  const changed = !deepEqual(toFieldsV1(prevSet), toFieldsV1(newSet)) || !deepEqual(object, live);
  mine.set = newSet;
  mine.entry = { ...mine.entry, apiVersion: req.apiVersion };
  return { object, managedFields: rebuild(list, mine, changed, req.now) };
}

/** An empty managedFields entry for a manager's first write of `operation`. */
function newEntry(
  req: { manager: string; apiVersion: string; now: string; subresource: Subresource },
  operation: "Apply" | "Update",
): ManagedFieldsEntry {
  return {
    manager: req.manager,
    operation,
    apiVersion: req.apiVersion,
    time: req.now,
    fieldsType: "FieldsV1",
    fieldsV1: {},
    ...(req.subresource ? { subresource: req.subresource } : {}),
  };
}

export interface UpdateRequest {
  before: JsonObject | undefined;
  after: JsonObject;
  managedFields: ManagedFieldsEntry[];
  manager: string;
  subresource: Subresource;
  apiVersion: string;
  now: string;
}

/** The managedFields after an ordinary write by `manager` that turned `before` into `after`. */
export function recordUpdate(req: UpdateRequest): ManagedFieldsEntry[] {
  const beforeSet = req.before ? fieldsOf(req.before) : new FieldSet();
  const afterSet = fieldsOf(req.after);
  const changed = afterSet.values().filter((p) => !deepEqual(getPath(req.before, p), getPath(req.after, p)));
  const removed = beforeSet.values().filter((p) => getPath(req.after, p) === undefined);
  if (changed.length === 0 && removed.length === 0) return req.managedFields;

  const list = owned(req.managedFields);
  let mine = list.find(
    (o) => entryKey(o.entry) === entryKey({ manager: req.manager, operation: "Update", subresource: req.subresource }),
  );
  if (!mine) {
    mine = { entry: newEntry(req, "Update"), set: new FieldSet() };
    list.push(mine);
  }
  for (const o of list) {
    for (const p of changed) for (const q of o.set.related(p)) if (o !== mine || !deepEqual(q, p)) o.set.delete(q);
    for (const r of removed) for (const q of o.set.values()) if (isPrefix(r, q)) o.set.delete(q);
  }
  for (const p of changed) mine.set.add(p);
  mine.entry = { ...mine.entry, apiVersion: req.apiVersion };
  return rebuild(list, mine, true, req.now);
}
