import "server-only";

import { WORKSPACE_FINALIZER } from "@/lib/kaito/api";
import { Message, Reason } from "@/lib/kaito/conditions";
import { ANNOTATION_FORCE_DELETE } from "@/lib/kaito/labels";
import { isNotFound } from "@/server/kube/kube-client";
import type { Workspace } from "@/server/kube/types/workspace";
import { Phase } from "@/server/timeline/derive-phase-transitions";
import { nodeClaimPath } from "@/server/kube/kube-paths";

import { computeWorkspaceStatus } from "./compute-workspace-status";
import type { ControllerContext } from "./controller-context";
import { emitWorkspaceEvent } from "./emit-workspace-event";
import { setFinalizer } from "./ensure-finalizer";
import { ownsNodeClaim } from "./evaluate-nodes";
import type { WorkResult } from "./work-queue";
import { validateWorkspace } from "./validate-workspace";
import { writeWorkspaceStatus } from "./write-workspace-status";

/** After this long a NodeClaim still terminating is reported as stuck (the condition says why). */
const STUCK_AFTER_MS = 60_000;

/**
 * The finalizer's work: delete every NodeClaim labelled with the Workspace (they have no
 * ownerReference, being cluster-scoped), wait for them to go, then let the Workspace go. The
 * wait is bounded (CONTROLLER_NODECLAIM_DELETE_TIMEOUT_SECONDS) and the annotation
 * kaito-dashboard.dev/force-delete ends it at once, so a karpenter that never finishes, or a
 * cluster without the NodeClaim CRD, cannot keep a Workspace in Terminating forever.
 */
export async function reconcileDeletion(ctx: ControllerContext, ws: Workspace): Promise<WorkResult> {
  if (!ws.metadata.finalizers?.includes(WORKSPACE_FINALIZER)) return;
  const claims = ctx.caches.nodeClaims.list().filter((c) => ownsNodeClaim(ws, c));
  for (const claim of claims.filter((c) => !c.metadata.deletionTimestamp)) {
    try {
      await ctx.client.request({ method: "DELETE", path: nodeClaimPath(claim.metadata.name) });
    } catch (error) {
      // Already gone, or the CRD itself is gone: either way nothing is left to wait for.
      if (!isNotFound(error)) throw error;
    }
  }

  const elapsedMs = Date.now() - new Date(ws.metadata.deletionTimestamp as unknown as string).getTime();
  const forced = ws.metadata.annotations?.[ANNOTATION_FORCE_DELETE] !== undefined;
  const timedOut = elapsedMs >= ctx.nodeClaimDeleteTimeoutMs;
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  if (claims.length && !forced && !timedOut) {
    const names = claims.map((c) => c.metadata.name).join(", ");
    const stuck = elapsedMs >= STUCK_AFTER_MS;
    const deleting = stuck
      ? {
          status: "True" as const,
          reason: Reason.NodeClaimDeletionStuck,
          message: `waiting for NodeClaims ${names} to be deleted (karpenter has not released them); the wait ends after ${Math.round(ctx.nodeClaimDeleteTimeoutMs / 1000)}s, or at once when the annotation ${ANNOTATION_FORCE_DELETE} is set`,
        }
      : {
          status: "True" as const,
          reason: Reason.WorkspaceDeleted,
          message: `${Message.WorkspaceDeleting}: waiting for NodeClaims ${names}`,
        };
    const status = computeWorkspaceStatus({ ws, validation: validateWorkspace(ws), pods: [], deleting, now });
    await writeWorkspaceStatus(ctx, ws, { ...status, workerNodes: ws.status?.workerNodes ?? [] });
    await ctx.timeline
      ?.record(ws, [
        {
          phase: Phase.Deleting,
          subject: "",
          occurredAt: new Date(ws.metadata.deletionTimestamp as unknown as string).toISOString(),
          severity: "Normal",
        },
      ])
      .catch((error: unknown) => ctx.log.warn("timeline not recorded", { error }));
    const remaining = ctx.nodeClaimDeleteTimeoutMs - elapsedMs;
    return { requeueAfterMs: Math.max(1000, Math.min(remaining, stuck ? 30_000 : STUCK_AFTER_MS - elapsedMs + 100)) };
  }
  if (claims.length) {
    const names = claims.map((c) => c.metadata.name).join(", ");
    ctx.log.warn("releasing Workspace with NodeClaims still present", { nodeClaims: names, forced, timedOut });
    await emitWorkspaceEvent(ctx.client, ws, {
      type: "Warning",
      reason: Reason.NodeClaimDeletionStuck,
      message: `Released the Workspace ${forced ? "on request (force-delete annotation)" : "after the deletion timeout"}; NodeClaims ${names} may need manual cleanup`,
      key: `released/${names}`,
    }).catch(() => undefined);
  }
  await setFinalizer(ctx, ws, false);
  // History must not hold deletion hostage: a database hiccup here only loses the "Deleted" row.
  await ctx.timeline
    ?.record(ws, [{ phase: Phase.Deleted, subject: "", occurredAt: now, severity: "Normal" }])
    .catch((error: unknown) => ctx.log.warn("timeline not recorded", { error }));
}
