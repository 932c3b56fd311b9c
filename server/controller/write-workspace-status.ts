import "server-only";

import { mergePatch } from "@/server/kube/apply-object";
import { workspaceKey, type Workspace, type WorkspaceStatus } from "@/server/kube/types/workspace";

import { canonical, sameStatus } from "./compute-workspace-status";
import type { ControllerContext } from "./controller-context";
import { workspacePath } from "./workspace-paths";

/**
 * The Workspace as the next status computation should see it: when the cache still holds the
 * version from before our own last status write, use the status we wrote, so that a reconcile
 * racing the watch neither rewrites the same status nor moves lastTransitionTime.
 */
export function withOwnLastStatus(ctx: ControllerContext, ws: Workspace): Workspace {
  const written = ctx.written.get(workspaceKey(ws));
  if (written && written.resourceVersion === ws.metadata.resourceVersion)
    return { ...ws, status: JSON.parse(written.status) as WorkspaceStatus };
  return ws;
}

/** Patches the status subresource only when it differs; returns whether it wrote. */
export async function writeWorkspaceStatus(
  ctx: ControllerContext,
  ws: Workspace,
  next: WorkspaceStatus,
): Promise<boolean> {
  if (sameStatus(ws.status, next)) return false;
  await mergePatch(ctx.client, `${workspacePath(ws)}/status`, { status: next });
  ctx.written.set(workspaceKey(ws), {
    status: canonical(next),
    resourceVersion: ws.metadata.resourceVersion ?? "",
  });
  return true;
}
