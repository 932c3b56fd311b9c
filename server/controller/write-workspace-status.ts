import "server-only";

import { FIELD_MANAGER } from "@/lib/kaito/api";
import { workspaceKey, type Workspace, type WorkspaceStatus } from "@/server/kube/types/workspace";
import { workspaceObjectPath } from "@/server/kube/kube-paths";

import { sameStatus } from "./compute-workspace-status";
import type { ControllerContext } from "./controller-context";

/**
 * Notes that we changed the Workspace: `before` is the version we changed, `after` the one the
 * apiserver answered with. A write that changed nothing keeps the version, and there is then
 * no watch event to wait for.
 */
export function noteOwnWrite(ctx: ControllerContext, key: string, before?: string, after?: string): void {
  if (!before || before === after) return;
  const older = ctx.written.get(key) ?? new Set<string>();
  older.add(before);
  ctx.written.set(key, older);
}

/**
 * True while the cache still shows a version from before one of our own writes. The watch event
 * for that write is on its way and brings the key back; reconciling the stale copy now would
 * patch the finalizer again (a Conflict) and write the same status a second time.
 */
export function cacheIsBehind(ctx: ControllerContext, ws: Workspace): boolean {
  const key = workspaceKey(ws);
  const older = ctx.written.get(key);
  if (!older) return false;
  if (older.has(ws.metadata.resourceVersion ?? "")) return true;
  ctx.written.delete(key);
  return false;
}

/** Patches the status subresource only when it differs; returns whether it wrote. */
export async function writeWorkspaceStatus(
  ctx: ControllerContext,
  ws: Workspace,
  next: WorkspaceStatus,
): Promise<boolean> {
  if (sameStatus(ws.status, next)) return false;
  // Named, so that managedFields tell our status from another controller's (upstream-signs.ts).
  const updated = await ctx.client.request<Workspace>({
    method: "PATCH",
    path: `${workspaceObjectPath(ws)}/status`,
    query: { fieldManager: FIELD_MANAGER },
    contentType: "application/merge-patch+json",
    body: { status: next },
  });
  noteOwnWrite(ctx, workspaceKey(ws), ws.metadata.resourceVersion, updated?.metadata?.resourceVersion);
  return true;
}
