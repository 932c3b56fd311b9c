import "server-only";

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

/**
 * A server-sent event stream of workspace rows from the process-wide watch cache: a snapshot
 * first (so a browser that reconnects is consistent again), then each change as it happens.
 * `onlyKey` narrows it to one workspace for the detail page.
 */
export async function openWorkspaceStream(signal: AbortSignal, onlyKey?: string): Promise<Response> {
  const cache = getWorkspaceCache();
  await cache.ready();
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
      const rows = cache.listRows().filter((row) => !onlyKey || row.key === onlyKey);
      send(encoder.encode(`retry: 2000\nevent: snapshot\ndata: ${JSON.stringify(rows)}\n\n`));
      const unsubscribe = cache.subscribe((change) => {
        if (onlyKey && (change.type === "upsert" ? change.row.key : change.key) !== onlyKey) return;
        send(encodeChange(change));
      });
      // Comments keep proxies from closing an idle stream.
      const heartbeat = setInterval(() => send(encoder.encode(": keep-alive\n\n")), HEARTBEAT_MS);
      cleanup = () => {
        unsubscribe();
        clearInterval(heartbeat);
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
