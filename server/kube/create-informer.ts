import "server-only";

import { KubeApiError, type KubeClient, type WatchEvent } from "./kube-client";

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
};

export type InformerHealth = { path: string; synced: boolean; watching: boolean; lastError?: string; restarts: number };

export type Informer<T extends KubeObject> = {
  start(): Promise<void>;
  stop(): void;
  list(): T[];
  get(key: string): T | undefined;
  /** The objects whose `indexBy` value is `value` (empty without an `indexBy`). */
  byIndex(value: string): T[];
  /** Resolves once the first list has filled the cache. */
  synced(): Promise<void>;
  health(): InformerHealth;
  /**
   * Puts an object this process just created into the cache when the watch has not delivered it
   * yet, so that a reconcile running before the watch event does not create it a second time.
   */
  rememberCreated(obj: T): void;
};

export type InformerOptions<T extends KubeObject> = {
  client: KubeClient;
  /** Collection path, e.g. `/apis/kaito.sh/v1beta1/workspaces` (all namespaces). */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** The apiserver ends each watch after this long; bounded watches cannot stall forever on a dead stream. */
  watchTimeoutSeconds?: number;
  /**
   * Applied to every object before it is cached or handed to a handler (client-go's
   * SetTransform): drop what the consumer never reads, so a cache of thousands of Pods and
   * Nodes holds kilobytes, not megabytes, of managedFields and pod templates.
   */
  transform?: (obj: T) => T;
  /** One secondary index, e.g. the owning Workspace's key, so consumers need not scan the cache. */
  indexBy?: (obj: T) => string | undefined;
  onAdd?: (obj: T) => void;
  onUpdate?: (obj: T, old: T) => void;
  onDelete?: (obj: T) => void;
  onError?: (error: unknown) => void;
  /** Backoff after failures: min and max delay in ms; jitter is added on top. */
  backoff?: { minMs: number; maxMs: number };
};

export function objectKey(obj: KubeObject): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : String(m.name);
}

type ListResponse<T> = { items: T[]; metadata: { resourceVersion: string; continue?: string } };

/**
 * List-then-watch cache for one resource collection (client-go's reflector in small). Watches
 * are bounded by timeoutSeconds and resumed from the last resourceVersion; a 410 Gone (the
 * version was compacted away) triggers a fresh list whose differences are replayed as
 * add/update/delete; any other failure restarts with exponential backoff and jitter instead
 * of hammering the apiserver.
 */
export function createInformer<T extends KubeObject>(options: InformerOptions<T>): Informer<T> {
  const { client, path } = options;
  const transform = options.transform ?? ((obj: T) => obj);
  const cache = new Map<string, T>();
  // Secondary index (client-go's Indexer with one index): index value → object key → object.
  const index = new Map<string, Map<string, T>>();
  const indexOf = options.indexBy;
  function put(key: string, obj: T): void {
    if (indexOf) unindex(key);
    cache.set(key, obj);
    const value = indexOf?.(obj);
    if (value === undefined) return;
    let bucket = index.get(value);
    if (!bucket) index.set(value, (bucket = new Map()));
    bucket.set(key, obj);
  }
  function unindex(key: string): void {
    const old = cache.get(key);
    const value = old && indexOf?.(old);
    if (value === undefined) return;
    const bucket = index.get(value);
    bucket?.delete(key);
    if (bucket?.size === 0) index.delete(value);
  }
  function remove(key: string): void {
    if (indexOf) unindex(key);
    cache.delete(key);
  }
  // Capped low: after an apiserver restart every watch fails at once, and a long cap would keep
  // the cache stale for most of a minute after the apiserver is back.
  const backoff = options.backoff ?? { minMs: 500, maxMs: 8_000 };
  let resourceVersion = "";
  let running = false;
  let abort: AbortController | undefined;
  let hasSynced = false;
  let watching = false;
  let lastError: string | undefined;
  let restarts = 0;
  let resolveSynced!: () => void;
  const syncedPromise = new Promise<void>((r) => (resolveSynced = r));
  let wake: (() => void) | undefined;

  const selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };

  async function relist(): Promise<void> {
    const fresh = new Map<string, T>();
    let continueToken: string | undefined;
    do {
      const page = await client.request<ListResponse<T>>({
        method: "GET",
        path,
        query: { ...selectors, limit: 500, continue: continueToken },
      });
      for (const item of page.items) fresh.set(objectKey(item), transform(item));
      continueToken = page.metadata.continue || undefined;
      resourceVersion = page.metadata.resourceVersion;
    } while (continueToken);
    for (const [key, old] of cache) {
      if (!fresh.has(key)) {
        remove(key);
        options.onDelete?.(old);
      }
    }
    for (const [key, obj] of fresh) {
      const old = cache.get(key);
      put(key, obj);
      if (!old) options.onAdd?.(obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) options.onUpdate?.(obj, old);
    }
    if (!hasSynced) {
      hasSynced = true;
      resolveSynced();
    }
  }

  function apply(event: WatchEvent): void {
    if (event.type === "BOOKMARK") {
      resourceVersion = (event.object as KubeObject).metadata?.resourceVersion ?? resourceVersion;
      return;
    }
    if (event.type === "ERROR") {
      const status = event.object as { code?: number; reason?: string; message?: string };
      throw new KubeApiError(status.code ?? 500, status.reason ?? "Unknown", status.message ?? "watch error");
    }
    const obj = transform(event.object as T);
    const key = objectKey(obj);
    resourceVersion = obj.metadata?.resourceVersion ?? resourceVersion;
    const old = cache.get(key);
    if (event.type === "DELETED") {
      remove(key);
      options.onDelete?.(obj);
    } else {
      put(key, obj);
      if (old) options.onUpdate?.(obj, old);
      else options.onAdd?.(obj);
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function loop(): Promise<void> {
    let failures = 0;
    let needList = true;
    while (running) {
      try {
        if (needList) {
          await relist();
          needList = false;
        }
        abort = new AbortController();
        watching = true;
        await client.watch(
          path,
          { ...selectors, resourceVersion, timeoutSeconds: options.watchTimeoutSeconds ?? 300 },
          (event) => {
            apply(event);
            failures = 0;
          },
          abort.signal,
        );
        watching = false;
        lastError = undefined;
      } catch (error) {
        watching = false;
        if (!running) break;
        if (
          error instanceof KubeApiError &&
          (error.statusCode === 410 || error.reason === "Expired" || error.reason === "Gone")
        ) {
          needList = true;
          continue;
        }
        // Like client-go's reflector, list again after any failed watch rather than resuming
        // from a resourceVersion the (possibly restarted) apiserver may no longer serve.
        needList = true;
        failures++;
        restarts++;
        lastError = error instanceof Error ? error.message : String(error);
        options.onError?.(error);
        // A 404 means the CRD is not installed (yet): the collection is empty for now, and it is
        // listed again later in case it appears. Not resolving `synced` would wedge every consumer.
        if (error instanceof KubeApiError && error.statusCode === 404) {
          needList = true;
          if (!hasSynced) {
            hasSynced = true;
            resolveSynced();
          }
        }
        const delay = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.min(failures - 1, 10));
        await sleep(delay / 2 + Math.random() * delay);
      }
    }
  }

  return {
    async start() {
      if (running) return;
      running = true;
      void loop();
    },
    stop() {
      running = false;
      abort?.abort();
      wake?.();
    },
    list: () => [...cache.values()],
    get: (key) => cache.get(key),
    byIndex: (value) => [...(index.get(value)?.values() ?? [])],
    synced: () => syncedPromise,
    health: () => ({ path, synced: hasSynced, watching, lastError, restarts }),
    rememberCreated(obj) {
      const key = objectKey(obj);
      if (!cache.has(key)) put(key, transform(obj));
    },
  };
}
