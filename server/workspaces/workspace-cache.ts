import "server-only";

import { CustomObjectsApi, Watch, type KubeConfig } from "@kubernetes/client-node";

import { KAITO_GROUP, WORKSPACE_PLURAL, WORKSPACE_VERSION } from "@/lib/kaito/api";
import { loadKubeConfig } from "@/server/kube/kubeconfig";

import { summarizeWorkspace, workspaceKey, type WorkspaceRow } from "./summarize-workspace";
import type { Workspace } from "@/server/kube/types/workspace";

export type WorkspaceChange = { type: "upsert"; row: WorkspaceRow } | { type: "delete"; key: string };
type Listener = (change: WorkspaceChange) => void;

// A watch that silently stalls on a dead TCP stream is a known client-node failure (#958), so
// every watch is bounded and re-opened from the last resourceVersion.
const WATCH_TIMEOUT_SECONDS = 240;
const MAX_BACKOFF_MS = 30_000;

/**
 * One list+watch of every Workspace for the whole web process. Pages and the SSE stream read
 * from here, so the apiserver sees one watch no matter how many browsers are open.
 */
export class WorkspaceCache {
  private readonly objects = new Map<string, Workspace>();
  private readonly rows = new Map<string, WorkspaceRow>();
  private readonly listeners = new Set<Listener>();
  private resourceVersion = "";
  private abort: AbortController | undefined;
  private stopped = false;
  private failures = 0;
  private synced: Promise<void>;
  private markSynced!: () => void;
  lastError: string | null = null;

  constructor(private readonly kc: KubeConfig) {
    this.synced = new Promise((resolve) => (this.markSynced = resolve));
  }

  start(): void {
    void this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  /** Resolves once the first list has filled the cache; rejects after `timeoutMs` so a page never hangs on a dead cluster. */
  async ready(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `The Kubernetes cluster did not answer within ${timeoutMs / 1000}s: ${this.lastError ?? "no reply"}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.synced, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  get(namespace: string, name: string): Workspace | undefined {
    return this.objects.get(workspaceKey(namespace, name));
  }

  listRows(): WorkspaceRow[] {
    return [...this.rows.values()];
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: WorkspaceChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private upsert(ws: Workspace): void {
    const key = workspaceKey(ws.metadata.namespace, ws.metadata.name);
    delete ws.metadata.managedFields;
    this.objects.set(key, ws);
    const row = summarizeWorkspace(ws);
    this.rows.set(key, row);
    this.emit({ type: "upsert", row });
  }

  private remove(key: string): void {
    if (!this.objects.delete(key)) return;
    this.rows.delete(key);
    this.emit({ type: "delete", key });
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    try {
      const api = this.kc.makeApiClient(CustomObjectsApi);
      const seen = new Set<string>();
      let continueToken: string | undefined;
      do {
        const page = (await api.listClusterCustomObject({
          group: KAITO_GROUP,
          version: WORKSPACE_VERSION,
          plural: WORKSPACE_PLURAL,
          limit: 500,
          _continue: continueToken,
        })) as { items: Workspace[]; metadata: { resourceVersion: string; continue?: string } };
        for (const ws of page.items) {
          seen.add(workspaceKey(ws.metadata.namespace, ws.metadata.name));
          const known = this.objects.get(workspaceKey(ws.metadata.namespace, ws.metadata.name));
          if (known?.metadata.resourceVersion !== ws.metadata.resourceVersion) this.upsert(ws);
        }
        this.resourceVersion = page.metadata.resourceVersion;
        continueToken = page.metadata.continue || undefined;
      } while (continueToken);
      for (const key of [...this.objects.keys()]) if (!seen.has(key)) this.remove(key);
      this.failures = 0;
      this.lastError = null;
      this.markSynced();
      await this.watch();
    } catch (error) {
      this.retry(error, () => this.relist());
    }
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    const path = `/apis/${KAITO_GROUP}/${WORKSPACE_VERSION}/${WORKSPACE_PLURAL}`;
    let gone = false;
    this.abort = await new Watch(this.kc).watch(
      path,
      { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: WATCH_TIMEOUT_SECONDS },
      (type, obj: Workspace & { code?: number }) => {
        if (type === "ERROR") {
          // 410 Gone: our resourceVersion was compacted away; only a fresh list can resync.
          if (obj.code === 410) gone = true;
          return;
        }
        if (obj.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
        if (type === "ADDED" || type === "MODIFIED") this.upsert(obj);
        else if (type === "DELETED") this.remove(workspaceKey(obj.metadata.namespace, obj.metadata.name));
      },
      (error: unknown) => {
        if (this.stopped) return;
        if (gone) void this.relist();
        else if (error && (error as Error).name !== "AbortError") this.retry(error, () => this.watch());
        else void this.watch().catch((e) => this.retry(e, () => this.relist()));
      },
    );
  }

  /** Exponential backoff with jitter, so that a flapping apiserver is not hammered (client-node #1933). */
  private retry(error: unknown, again: () => Promise<void>): void {
    if (this.stopped) return;
    this.failures += 1;
    this.lastError = error instanceof Error ? error.message : String(error);
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.failures) * (0.5 + Math.random() / 2);
    setTimeout(() => void again().catch((e) => this.retry(e, () => this.relist())), delay).unref();
  }
}

const globalForCache = globalThis as unknown as { workspaceCache?: WorkspaceCache };

/** The process-wide cache. Next.js may load this module more than once (route handlers, pages), so it lives on globalThis. */
export function getWorkspaceCache(): WorkspaceCache {
  if (!globalForCache.workspaceCache) {
    const cache = new WorkspaceCache(loadKubeConfig().kc);
    cache.start();
    globalForCache.workspaceCache = cache;
  }
  return globalForCache.workspaceCache;
}
