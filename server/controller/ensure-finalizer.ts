import "server-only";

import { WORKSPACE_FINALIZER } from "@/lib/kaito/api";
import { mergePatch } from "@/server/kube/apply-object";
import type { Workspace } from "@/server/kube/types/workspace";

import type { ControllerContext } from "./controller-context";
import { workspacePath } from "./workspace-paths";

/**
 * Adds or removes our finalizer. The merge patch carries the resourceVersion it was computed
 * from, so a concurrent change to the finalizer list (someone else's finalizer) is a Conflict
 * and a retry rather than a silent overwrite.
 */
export async function setFinalizer(ctx: ControllerContext, ws: Workspace, present: boolean): Promise<Workspace> {
  const current = ws.metadata.finalizers ?? [];
  const has = current.includes(WORKSPACE_FINALIZER);
  if (has === present) return ws;
  const finalizers = present ? [...current, WORKSPACE_FINALIZER] : current.filter((f) => f !== WORKSPACE_FINALIZER);
  return mergePatch<Workspace>(ctx.client, workspacePath(ws), {
    metadata: { finalizers, resourceVersion: ws.metadata.resourceVersion },
  });
}
