import "server-only";

import type { KubeConfig } from "@kubernetes/client-node";

import { createInformer, type Informer } from "@/server/kube/create-informer";
import { getKubeClient } from "@/server/kube/get-kube-client";
import { createKubeClient, type KubeClient } from "@/server/kube/kube-client";
import { ALL_WORKSPACES_PATH } from "@/server/kube/kube-paths";
import type { Workspace } from "@/server/kube/types/workspace";

import { summarizeWorkspace, workspaceKey, type WorkspaceRow } from "./summarize-workspace";

export type WorkspaceChange = { type: "upsert"; row: WorkspaceRow } | { type: "delete"; key: string };
type Listener = (change: WorkspaceChange) => void;

// A watch that silently stalls on a dead TCP stream is a known client-node failure (#958), so
// every watch is bounded and re-opened from the last resourceVersion.
const WATCH_TIMEOUT_SECONDS = 240;

/**
 * One list+watch of every Workspace for the whole web process, on the same informer as the
 * controller's caches (server/kube/create-informer.ts: a 410 Gone or any failed watch lists
 * again). Pages and the SSE stream read from here, so the apiserver sees one watch no matter how
 * many browsers are open. It reads with the web's own ServiceAccount; what each person is
 * shown is narrowed to their namespaces in server/workspaces/workspace-access.ts.
 */
export class WorkspaceCache {
  private readonly rows = new Map<string, WorkspaceRow>();
  private readonly listeners = new Set<Listener>();
  private informer: Informer<Workspace> | undefined;
  private stopped = false;
  private startError: string | null = null;
  private readonly started: Promise<Informer<Workspace>>;
  private begin!: () => void;

  constructor(private readonly source: KubeConfig | KubeClient | Promise<KubeClient>) {
    this.started = new Promise<void>((resolve) => (this.begin = resolve)).then(() => this.open());
    this.started.catch((error: unknown) => {
      this.startError = error instanceof Error ? error.message : String(error);
    });
  }

  get lastError(): string | null {
    return this.informer?.health().lastError ?? this.startError;
  }

  private async open(): Promise<Informer<Workspace>> {
    const source = await this.source;
    const client = isKubeConfig(source) ? await createKubeClient(source) : source;
    const informer = createInformer<Workspace>({
      client,
      path: ALL_WORKSPACES_PATH,
      watchTimeoutSeconds: WATCH_TIMEOUT_SECONDS,
      transform: (ws) => {
        delete ws.metadata.managedFields;
        return ws;
      },
      onAdd: (ws) => this.upsert(ws),
      onUpdate: (ws) => this.upsert(ws),
      onDelete: (ws) => this.remove(workspaceKey(ws.metadata.namespace, ws.metadata.name)),
    });
    this.informer = informer;
    if (!this.stopped) await informer.start();
    return informer;
  }

  start(): void {
    this.begin();
  }

  stop(): void {
    this.stopped = true;
    this.informer?.stop();
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
      await Promise.race([this.started.then((informer) => informer.synced()), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  get(namespace: string, name: string): Workspace | undefined {
    return this.informer?.get(workspaceKey(namespace, name));
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
    const row = summarizeWorkspace(ws);
    this.rows.set(row.key, row);
    this.emit({ type: "upsert", row });
  }

  private remove(key: string): void {
    if (!this.rows.delete(key)) return;
    this.emit({ type: "delete", key });
  }
}

function isKubeConfig(source: KubeConfig | KubeClient): source is KubeConfig {
  return typeof (source as KubeConfig).getCurrentCluster === "function";
}

const globalForCache = globalThis as unknown as { workspaceCache?: WorkspaceCache };

/** The process-wide cache. Next.js may load this module more than once (route handlers, pages), so it lives on globalThis. */
export function getWorkspaceCache(): WorkspaceCache {
  if (!globalForCache.workspaceCache) {
    const cache = new WorkspaceCache(getKubeClient());
    cache.start();
    globalForCache.workspaceCache = cache;
  }
  return globalForCache.workspaceCache;
}
