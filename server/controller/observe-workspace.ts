import "server-only";

import { LABEL_WORKSPACE, LABEL_WORKSPACE_NAMESPACE } from "@/lib/kaito/labels";
import type { NodeClaim } from "@/server/kube/types/nodeclaim";
import { workspaceKey, type Workspace } from "@/server/kube/types/workspace";
import { derivePhaseTransitions, Phase, type PhaseTransition } from "@/server/timeline/derive-phase-transitions";

import { isControlledBy } from "./check-ownership";
import type { ControllerContext } from "./controller-context";
import type { Logger } from "./logger";
import type { WorkResult } from "./work-queue";
import { workspacePods } from "./workspace-pods";

const createdAt = (o: { metadata?: { creationTimestamp?: unknown } }) =>
  new Date(o.metadata?.creationTimestamp as string).getTime();

/**
 * The NodeClaims another controller made for this Workspace. Upstream Kaito labels them with the
 * Workspace's name and namespace only (no uid), so a claim older than the Workspace belonged to a
 * predecessor of the same name and is not part of this one's history.
 */
export function observedNodeClaims(claims: NodeClaim[], ws: Workspace): NodeClaim[] {
  const born = createdAt(ws);
  return claims.filter(
    (c) =>
      c.metadata.labels?.[LABEL_WORKSPACE] === ws.metadata.name &&
      c.metadata.labels?.[LABEL_WORKSPACE_NAMESPACE] === ws.metadata.namespace &&
      !(createdAt(c) < born),
  );
}

/**
 * Observe mode's pass over one Workspace: the same timeline a reconcile records, derived from
 * what the cluster shows, and nothing else. It never writes to Kubernetes (no finalizer, status,
 * objects or Events); the only write is the timeline row in our own database.
 * `lastSeen` remembers each Workspace so that its disappearance (upstream's finalizer released
 * it) still becomes a Deleted row.
 */
export async function observeWorkspace(
  ctx: ControllerContext,
  key: string,
  log: Logger,
  lastSeen: Map<string, Workspace>,
): Promise<WorkResult> {
  const ws = ctx.caches.workspaces.get(key);
  if (!ws) {
    const gone = lastSeen.get(key);
    lastSeen.delete(key);
    if (gone)
      await record(ctx, gone, [{ phase: Phase.Deleted, subject: "", occurredAt: now(), severity: "Normal" }], log);
    return;
  }
  lastSeen.set(key, ws);
  const nodeClaims = observedNodeClaims(ctx.caches.nodeClaims.list(), ws);
  const nodeNames = new Set([
    ...(ws.status?.workerNodes ?? []),
    ...nodeClaims.map((c) => c.status?.nodeName).filter((n): n is string => !!n),
  ]);
  const workload = (cached: { metadata?: object } | undefined) =>
    cached && isControlledBy(ws, cached.metadata) ? cached : undefined;
  const statefulSet = ws.inference ? workload(ctx.caches.statefulSets.get(workspaceKey(ws))) : undefined;
  const job = ws.tuning ? workload(ctx.caches.jobs.get(workspaceKey(ws))) : undefined;
  const transitions = derivePhaseTransitions({
    ws,
    nodeClaims,
    nodes: ctx.caches.nodes.list().filter((n) => nodeNames.has(n.metadata?.name ?? "")),
    statefulSet,
    job,
    pods: workspacePods(ctx, ws),
  });
  await record(ctx, ws, transitions, log);
  // Every change that matters arrives as a watch event; this is the same slow safety net as reconcile's.
  return { requeueAfterMs: ctx.resyncMs, priority: "low" };
}

async function record(
  ctx: ControllerContext,
  ws: Workspace,
  transitions: PhaseTransition[],
  log: Logger,
): Promise<void> {
  if (!ctx.timeline) return;
  try {
    await ctx.timelineSlots.run(() => ctx.timeline!.record(ws, transitions));
  } catch (error) {
    log.warn("timeline not recorded; will retry on the next event", { error });
  }
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}
