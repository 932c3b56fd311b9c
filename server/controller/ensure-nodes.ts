import "server-only";

import { ensureNodeClaims } from "./ensure-nodeclaims";
import { evaluateNodes } from "./evaluate-nodes";
import { done, wait, type ReconcileStep } from "./reconcile-step";

/**
 * Kaito's reconcileNodes: provision what is missing (NodeClaims, unless karpenter already said
 * it cannot), then stop the pass until the nodes are ready. No timer brings the Workspace back
 * before then: the NodeClaim and Node watches do; the safety resync only covers a lost event.
 */
export const ensureNodes: ReconcileStep = {
  name: "nodes",
  async run(ctx, pass) {
    const nodes = evaluateNodes({
      ws: pass.ws,
      nodes: ctx.caches.nodes.list(),
      nodeClaims: ctx.caches.nodeClaims.list(),
      mode: ctx.mode,
    });
    pass.nodes = nodes;
    if (ctx.mode === "nodeclaim" && !nodes.terminalFailure) {
      const { created, conflict } = await ensureNodeClaims(ctx, pass.ws, nodes);
      if (created) pass.log.info("created NodeClaims", { count: created });
      if (conflict) {
        pass.conflict = conflict;
        return wait(Math.min(ctx.resyncMs, 30_000), "ResourceConflict");
      }
    }
    if (nodes.resourceReady.status !== "True") return wait(Math.min(ctx.resyncMs, 60_000), nodes.resourceReady.reason);
    return done;
  },
};
