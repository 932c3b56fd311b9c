import "server-only";

import { WORKSPACE_FINALIZER } from "@/lib/kaito/api";
import { mergePatch } from "@/server/kube/apply-object";
import type { Workspace } from "@/server/kube/types/workspace";
import { workspaceObjectPath } from "@/server/kube/kube-paths";

import type { ControllerContext } from "./controller-context";
import { done, type ReconcileStep } from "./reconcile-step";
import { noteOwnWrite } from "./write-workspace-status";

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
  return mergePatch<Workspace>(ctx.client, workspaceObjectPath(ws), {
    metadata: { finalizers, resourceVersion: ws.metadata.resourceVersion },
  });
}

/** First step: our finalizer is on the Workspace before anything is created for it. */
export const ensureFinalizer: ReconcileStep = {
  name: "finalizer",
  async run(ctx, pass) {
    const withFinalizer = await setFinalizer(ctx, pass.ws, true);
    if (withFinalizer !== pass.ws) {
      noteOwnWrite(ctx, pass.key, pass.ws.metadata.resourceVersion, withFinalizer.metadata.resourceVersion);
      // The patch answers with the object as stored; the status we compare against stays the one we read.
      pass.ws = { ...withFinalizer, status: pass.ws.status };
    }
    return done;
  },
};
