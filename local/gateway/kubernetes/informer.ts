import { KubeApiError, type KubeClient, type WatchStream } from "./client";

export interface KubeObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
}

export interface KubeObjectLike {
  metadata: KubeObjectMeta;
}

export type InformerEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface InformerEvent<T> {
  type: InformerEventType;
  object: T;
}

interface WireEvent {
  type?: string;
  object?: { code?: number; message?: string; metadata?: { resourceVersion?: string } };
}

interface ListBody<T> {
  metadata?: { resourceVersion?: string };
  items?: T[];
}

const MIN_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 10_000;
/** A watch that ends sooner than this without events counts as a failure, so a server closing at once is not hammered. */
const HEALTHY_WATCH_MS = 5_000;

/**
 * A cache of one collection kept current by list + watch: a watch the server ends (timeoutSeconds) resumes
 * from the last resourceVersion seen (objects and bookmarks); a 410 Gone (or an ERROR event with code 410), a
 * broken stream or a failed request re-lists, and failures back off exponentially. A re-list reports the
 * difference to the cache as ADDED/MODIFIED/DELETED events.
 */
export class Informer<T extends KubeObjectLike> {
  private readonly cache = new Map<string, T>();
  private readonly listeners = new Set<(event: InformerEvent<T>) => void>();
  private resourceVersion = "";
  private stopped = false;
  private current: WatchStream | undefined;
  private loop: Promise<void> | undefined;
  private syncedOnce = false;
  private wake: (() => void) | undefined;
  private readonly syncWaiters: (() => void)[] = [];

  constructor(
    private readonly client: KubeClient,
    /** The collection path, e.g. `/api/v1/namespaces/default/secrets`. */
    private readonly path: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  get synced(): boolean {
    return this.syncedOnce;
  }

  get(name: string): T | undefined {
    return this.cache.get(name);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  subscribe(listener: (event: InformerEvent<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Resolves after the first successful list (or on stop). */
  waitForSync(): Promise<void> {
    return this.syncedOnce ? Promise.resolve() : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.abort();
    this.wake?.();
    await this.loop;
    // Whoever waits for a first sync that will never come should not hang.
    for (const resolve of this.syncWaiters.splice(0)) resolve();
  }

  private async run(): Promise<void> {
    let backoff = MIN_BACKOFF_MS;
    while (!this.stopped) {
      const began = Date.now();
      let events = 0;
      try {
        if (!this.resourceVersion) await this.relist();
        const expired = await this.watch(() => events++);
        if (expired) {
          this.log(`watch ${this.path}: resourceVersion ${this.resourceVersion} expired; re-listing`);
          this.resourceVersion = "";
        }
        if (expired || events > 0 || Date.now() - began >= HEALTHY_WATCH_MS) {
          backoff = MIN_BACKOFF_MS;
          continue;
        }
      } catch (err) {
        if (this.stopped) break;
        // A broken stream or a failed request re-lists rather than resumes: the server may be a restarted
        // emulator whose resourceVersions started over, where resuming would silently skip changes.
        this.resourceVersion = "";
        if (err instanceof KubeApiError && err.status === 410) continue;
        this.log(`watch ${this.path}: ${(err as Error).message}; retrying in ${backoff} ms`);
      }
      if (this.stopped) break;
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async relist(): Promise<void> {
    const body = await this.client.request<ListBody<T>>("GET", this.path);
    const fresh = new Map((body.items ?? []).map((o) => [o.metadata.name, o]));
    this.resourceVersion = body.metadata?.resourceVersion ?? "";
    const changes: InformerEvent<T>[] = [];
    for (const [name, old] of this.cache) if (!fresh.has(name)) changes.push({ type: "DELETED", object: old });
    for (const [name, object] of fresh) {
      const old = this.cache.get(name);
      if (!old) changes.push({ type: "ADDED", object });
      else if (
        old.metadata.resourceVersion !== object.metadata.resourceVersion ||
        old.metadata.uid !== object.metadata.uid
      ) {
        changes.push({ type: "MODIFIED", object });
      }
    }
    this.cache.clear();
    for (const [name, object] of fresh) this.cache.set(name, object);
    if (!this.syncedOnce) {
      this.syncedOnce = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
    for (const change of changes) this.emit(change);
  }

  /** One watch request; true when the server says our resourceVersion is too old. */
  private async watch(onEvent: () => void): Promise<boolean> {
    const timeoutSeconds = 240 + Math.floor(Math.random() * 60);
    const query = `watch=true&allowWatchBookmarks=true&timeoutSeconds=${timeoutSeconds}&resourceVersion=${encodeURIComponent(this.resourceVersion)}`;
    let expired = false;
    let failure: Error | undefined;
    const stream = this.client.stream(`${this.path}?${query}`, (line) => {
      if (expired || failure) return;
      let event: WireEvent;
      try {
        event = JSON.parse(line) as WireEvent;
      } catch {
        failure = new Error(`watch ${this.path}: undecodable event ${line.slice(0, 200)}`);
        stream.abort();
        return;
      }
      onEvent();
      if (event.type === "ERROR") {
        if (event.object?.code === 410) expired = true;
        else failure = new Error(`watch ${this.path}: ${event.object?.message ?? "error event"}`);
        stream.abort();
        return;
      }
      const rv = event.object?.metadata?.resourceVersion;
      if (rv) this.resourceVersion = rv;
      if (event.type === "ADDED" || event.type === "MODIFIED" || event.type === "DELETED")
        this.apply(event.type, event.object as unknown as T);
    });
    this.current = stream;
    try {
      await stream.done;
    } catch (err) {
      if (!expired && !failure) throw err;
    } finally {
      this.current = undefined;
    }
    if (failure) throw failure;
    return expired;
  }

  private apply(type: InformerEventType, object: T): void {
    if (type === "DELETED") this.cache.delete(object.metadata.name);
    else this.cache.set(object.metadata.name, object);
    this.emit({ type, object });
  }

  private emit(event: InformerEvent<T>): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log(`watch ${this.path}: listener failed: ${(err as Error).message}`);
      }
    }
  }
}
