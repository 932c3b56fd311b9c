import "server-only";

import type { V1ObjectMeta } from "@kubernetes/client-node";

import { EventReason } from "@/lib/kaito/conditions";
import { isAlreadyExists, KubeApiError } from "@/server/kube/kube-client";
import type { NodeClaim } from "@/server/kube/types/nodeclaim";
import type { Workspace } from "@/server/kube/types/workspace";
import { ALL_NODECLAIMS_PATH, nodeClaimPath } from "@/server/kube/kube-paths";

import { resourceConflict, type ResourceConflict } from "./check-ownership";
import type { ControllerContext } from "./controller-context";
import { emitWorkspaceEvent } from "./emit-workspace-event";
import { ownsNodeClaim, type NodeEvaluation } from "./evaluate-nodes";
import { nodeClaimName, renderNodeClaim } from "./render-nodeclaim";

/**
 * Creates the NodeClaims still missing. Slots are numbered and names derive from the Workspace
 * uid and the slot, so whatever this process remembers or forgets, a claim is created at most
 * once: a second create of the same slot is AlreadyExists, which counts as done when the claim
 * there is this Workspace's.
 */
export async function ensureNodeClaims(
  ctx: ControllerContext,
  ws: Workspace,
  nodes: NodeEvaluation,
): Promise<{ created: number; conflict?: ResourceConflict }> {
  const missing = nodes.claimsWanted - nodes.ownClaims.length;
  if (missing <= 0) return { created: 0 };
  const taken = new Set(nodes.ownClaims.map((c) => c.metadata.name));
  const uid = ws.metadata.uid ?? "";
  let created = 0;
  for (let slot = 0; created < missing && slot < nodes.claimsWanted + taken.size + missing; slot++) {
    if (taken.has(nodeClaimName(uid, slot))) continue;
    const desired = renderNodeClaim(ws, slot);
    try {
      const claim = await ctx.client.request<NodeClaim>({ method: "POST", path: ALL_NODECLAIMS_PATH, body: desired });
      ctx.caches.nodeClaims.rememberCreated(claim);
      // Not awaited: the Event is a courtesy copy, and waiting for it added a round trip to
      // every first reconcile.
      if (ctx.emitEvents)
        void emitWorkspaceEvent(ctx.client, ws, {
          type: "Normal",
          reason: EventReason.NodeClaimCreated,
          message: `Created NodeClaim ${claim.metadata.name} for instance type ${ws.resource?.instanceType}`,
          key: `nodeclaim-created/${claim.metadata.name}`,
        }).catch((error: unknown) => ctx.log.debug("NodeClaimCreated Event not emitted", { error }));
    } catch (error) {
      if (isAlreadyExists(error)) {
        // Ours from an earlier pass (the cache has not caught up), or a claim someone else made
        // under the name this slot derives: only the first counts as done.
        const existing = await ctx.client.request<NodeClaim>({
          method: "GET",
          path: nodeClaimPath(desired.metadata.name),
        });
        if (!ownsNodeClaim(ws, existing))
          return { created, conflict: resourceConflict("NodeClaim", existing.metadata as V1ObjectMeta) };
      } else {
        const why =
          error instanceof KubeApiError && error.statusCode === 404
            ? "the NodeClaim CRD (karpenter.sh/v1) is not installed"
            : String((error as Error).message);
        await emitWorkspaceEvent(ctx.client, ws, {
          type: "Warning",
          reason: EventReason.NodeClaimCreationFailed,
          message: `Failed to create NodeClaim ${desired.metadata.name}: ${why}`,
          key: `nodeclaim-failed/${desired.metadata.name}/${why}`,
        }).catch(() => undefined);
        throw error;
      }
    }
    taken.add(desired.metadata.name);
    created++;
  }
  return { created };
}
