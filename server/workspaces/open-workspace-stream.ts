import "server-only";

import { ACCESS_TTL_MS } from "@/server/kube/access-review";
import type { KubeIdentity } from "@/server/kube/kube-client";

import type { WorkspaceRow } from "./summarize-workspace";
import { isVisible, visibleNamespaces, type VisibleNamespaces } from "./workspace-access";
import { getWorkspaceCache, type WorkspaceChange } from "./workspace-cache";

const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();

// Every open stream receives the same change object; encode it once, not once per viewer.
const encoded = new WeakMap<WorkspaceChange, Uint8Array>();
function encodeChange(change: WorkspaceChange): Uint8Array {
  let bytes = encoded.get(change);
  if (!bytes) {
    bytes = encoder.encode(
      `event: ${change.type}\ndata: ${JSON.stringify(change.type === "upsert" ? change.row : { key: change.key })}\n\n`,
    );
    encoded.set(change, bytes);
  }
  return bytes;
}

const namespaceOf = (change: WorkspaceChange) =>
  change.type === "upsert" ? change.row.namespace : change.key.slice(0, change.key.indexOf("/"));

/**
 * A server-sent event stream of workspace rows from the process-wide watch cache: a snapshot
 * first (so a browser that reconnects is consistent again), then each change as it happens.
 * `onlyKey` narrows it to one workspace for the detail page. A viewer sees only the namespaces
 * where `as` may list Workspaces; that is asked again every ACCESS_TTL_MS, so a revoked
 * RoleBinding removes the namespace's rows from an open stream, and a new one adds them.
 */
export async function openWorkspaceStream(signal: AbortSignal, as: KubeIdentity, onlyKey?: string): Promise<Response> {
  const cache = getWorkspaceCache();
  await cache.ready();
  const namespaces = () => cache.listRows().map((row) => row.namespace);
  let visible = await visibleNamespaces(as, namespaces());
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (bytes: Uint8Array) => {
        try {
          controller.enqueue(bytes);
        } catch {
          cleanup();
        }
      };
      const wanted = (row: WorkspaceRow) => (!onlyKey || row.key === onlyKey) && isVisible(visible, row.namespace);
      send(
        encoder.encode(`retry: 2000\nevent: snapshot\ndata: ${JSON.stringify(cache.listRows().filter(wanted))}\n\n`),
      );
      // A change in a namespace this stream has not asked about yet (a new one) waits for that
      // answer; changes behind it in the same namespace wait too, so their order holds.
      const asked = new Set<string>(visible.all ? [] : namespaces());
      const pending = new Map<string, Promise<void>>();
      const ask = async (namespace: string) => {
        asked.add(namespace);
        const answer = await visibleNamespaces(as, [namespace]).catch(() => null);
        if (answer && !visible.all && isVisible(answer, namespace))
          visible = { all: false, namespaces: new Set([...visible.namespaces, namespace]) };
      };
      const deliver = (change: WorkspaceChange) => {
        if (onlyKey && (change.type === "upsert" ? change.row.key : change.key) !== onlyKey) return;
        const namespace = namespaceOf(change);
        const waiting = pending.get(namespace);
        if (!waiting) {
          if (isVisible(visible, namespace)) return send(encodeChange(change));
          if (asked.has(namespace)) return;
        }
        const next = (waiting ?? ask(namespace)).then(() => {
          if (isVisible(visible, namespace)) send(encodeChange(change));
        });
        pending.set(namespace, next);
        void next.finally(() => {
          if (pending.get(namespace) === next) pending.delete(namespace);
        });
      };
      const unsubscribe = cache.subscribe(deliver);
      // Permissions change: every TTL the visible namespaces are asked again (from the cache of
      // answers, so at most one review per namespace and user per TTL) and the difference sent.
      const recheck = setInterval(() => {
        void visibleNamespaces(as, namespaces())
          .then((now) => refresh(now))
          .catch(() => {});
      }, ACCESS_TTL_MS);
      const refresh = (now: VisibleNamespaces) => {
        const before = visible;
        visible = now;
        asked.clear();
        for (const ns of namespaces()) asked.add(ns);
        for (const row of cache.listRows()) {
          if (onlyKey && row.key !== onlyKey) continue;
          const was = isVisible(before, row.namespace);
          const is = isVisible(now, row.namespace);
          if (was && !is) send(encodeChange({ type: "delete", key: row.key }));
          else if (!was && is) send(encodeChange({ type: "upsert", row }));
        }
      };
      // Comments keep proxies from closing an idle stream.
      const heartbeat = setInterval(() => send(encoder.encode(": keep-alive\n\n")), HEARTBEAT_MS);
      cleanup = () => {
        unsubscribe();
        clearInterval(heartbeat);
        clearInterval(recheck);
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      signal.addEventListener("abort", () => cleanup(), { once: true });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
