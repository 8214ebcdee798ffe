import * as fs from "node:fs";
import * as path from "node:path";

export type EndpointsDocument = Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readEndpoints(file: string): EndpointsDocument {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    return isObject(parsed) ? parsed : {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    out[key] = isObject(value) && isObject(base[key]) ? deepMerge(base[key] as Record<string, unknown>, value) : value;
  }
  return out;
}

/**
 * Read-modify-write of endpoints.json: keys not in `patch` (written by other components) are kept,
 * objects are merged key by key. Written through a temp file and rename so readers never see half a file.
 */
export function mergeEndpoints(file: string, patch: Record<string, unknown>): EndpointsDocument {
  const merged = deepMerge(readEndpoints(file), patch);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return merged;
}

/** Removes top-level keys (and, for objects, only the listed sub-keys) this component owns. */
export function removeEndpoints(file: string, owned: Record<string, readonly string[]>): void {
  const doc = readEndpoints(file);
  if (Object.keys(doc).length === 0) return;
  for (const [top, subKeys] of Object.entries(owned)) {
    const entry = doc[top];
    if (!isObject(entry)) continue;
    for (const k of subKeys) delete entry[k];
    if (Object.keys(entry).length === 0) delete doc[top];
  }
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}
