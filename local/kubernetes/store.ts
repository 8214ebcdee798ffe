// The object store: every stored object by type, namespace and name; one global resourceVersion counter;
// a bounded history of changes so a watch can resume from a resourceVersion; live watchers.
// It knows nothing of HTTP, apply or ownership: it stores what it is given and stamps resourceVersion.
import type { KubeObject, WatchEventType } from "./types";
import { clone } from "./types";

export interface Change {
  type: Exclude<WatchEventType, "BOOKMARK" | "ERROR">;
  typeKey: string;
  resourceVersion: number;
  object: KubeObject;
  /** the object before a MODIFIED change */
  previous?: KubeObject;
}

export type ChangeListener = (change: Change) => void;

export interface StoreSnapshot {
  resourceVersion: number;
  objects: Array<{ typeKey: string; object: KubeObject }>;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

export class Store {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: Change[] = [];
  private readonly listeners = new Set<ChangeListener>();
  private rv = 0;

  constructor(private readonly historyLimit = 10_000) {}

  /** The current (latest) resourceVersion. */
  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch may still resume from. */
  get oldestResumable(): number {
    return this.history.length === this.historyLimit ? this.history[0].resourceVersion : 0;
  }

  get(typeKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.objects.get(typeKey)?.get(objectKey(namespace, name));
    return o ? clone(o) : undefined;
  }

  list(typeKey: string, namespace?: string): KubeObject[] {
    const all = [...(this.objects.get(typeKey)?.values() ?? [])];
    return all
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .sort((a, b) =>
        objectKey(a.metadata.namespace, a.metadata.name).localeCompare(
          objectKey(b.metadata.namespace, b.metadata.name),
        ),
      )
      .map(clone);
  }

  /** Stores a new or changed object, stamping the next resourceVersion; returns the stored copy. */
  put(typeKey: string, object: KubeObject): KubeObject {
    const byKey = this.objects.get(typeKey) ?? new Map<string, KubeObject>();
    this.objects.set(typeKey, byKey);
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    const previous = byKey.get(key);
    const stored = clone(object);
    stored.metadata.resourceVersion = String(++this.rv);
    byKey.set(key, stored);
    this.emit({
      type: previous ? "MODIFIED" : "ADDED",
      typeKey,
      resourceVersion: this.rv,
      object: stored,
      ...(previous ? { previous } : {}),
    });
    return clone(stored);
  }

  /** Removes an object; the DELETED event carries the object with a new resourceVersion. */
  remove(typeKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const byKey = this.objects.get(typeKey);
    const key = objectKey(namespace, name);
    const existing = byKey?.get(key);
    if (!byKey || !existing) return undefined;
    byKey.delete(key);
    const gone = clone(existing);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit({ type: "DELETED", typeKey, resourceVersion: this.rv, object: gone });
    return clone(gone);
  }

  /** Changes after `resourceVersion`, oldest first (undefined if history no longer reaches that far back). */
  changesSince(resourceVersion: number): Change[] | undefined {
    if (resourceVersion < this.oldestResumable - 1) return undefined;
    return this.history.filter((c) => c.resourceVersion > resourceVersion).map(clone);
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): StoreSnapshot {
    const objects: StoreSnapshot["objects"] = [];
    for (const [typeKey, byKey] of this.objects)
      for (const object of byKey.values()) objects.push({ typeKey, object: clone(object) });
    return { resourceVersion: this.rv, objects };
  }

  restore(snapshot: StoreSnapshot): void {
    this.objects.clear();
    this.history.length = 0;
    for (const { typeKey, object } of snapshot.objects) {
      const byKey = this.objects.get(typeKey) ?? new Map<string, KubeObject>();
      byKey.set(objectKey(object.metadata.namespace, object.metadata.name), clone(object));
      this.objects.set(typeKey, byKey);
    }
    this.rv = snapshot.resourceVersion;
  }

  private emit(change: Change): void {
    this.history.push(change);
    if (this.history.length > this.historyLimit) this.history.shift();
    for (const l of [...this.listeners]) l(clone(change));
  }
}
