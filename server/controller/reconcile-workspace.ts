import "server-only";

import { ConditionType } from "@/lib/kaito/conditions";
import { LABEL_WORKSPACE } from "@/lib/kaito/labels";
import { workspaceKey } from "@/server/kube/types/workspace";
import { derivePhaseTransitions } from "@/server/timeline/derive-phase-transitions";

import { computeWorkspaceStatus } from "./compute-workspace-status";
import type { ControllerContext } from "./controller-context";
import { setFinalizer } from "./ensure-finalizer";
import { ensureNodeClaims } from "./ensure-nodeclaims";
import { ensureWorkload } from "./ensure-workload";
import { evaluateNodes } from "./evaluate-nodes";
import type { Logger } from "./logger";
import { reconcileDeletion } from "./reconcile-deletion";
import { validateWorkspace } from "./validate-workspace";
import type { WorkResult } from "./work-queue";
import { cacheIsBehind, noteOwnWrite, writeWorkspaceStatus } from "./write-workspace-status";

/**
 * One pass over one Workspace, in Kaito's order: finalizer → validation → nodes → workload →
 * status. Each step either completes or stops the chain; the next watch event (a NodeClaim
 * becoming Ready, a pod turning ready) brings the Workspace back, so nothing polls.
 */
export async function reconcileWorkspace(ctx: ControllerContext, key: string, log: Logger): Promise<WorkResult> {
  const cached = ctx.caches.workspaces.get(key);
  if (!cached) {
    ctx.written.delete(key);
    return;
  }
  // The watch event of our last write brings the key back (the requeue is only a safety net).
  if (cacheIsBehind(ctx, cached)) return { requeueAfterMs: 2_000 };
  if (cached.metadata.deletionTimestamp) return reconcileDeletion(ctx, cached);

  let ws = cached;
  const withFinalizer = await setFinalizer(ctx, ws, true);
  if (withFinalizer !== ws) {
    noteOwnWrite(ctx, key, cached.metadata.resourceVersion, withFinalizer.metadata.resourceVersion);
    ws = { ...withFinalizer, status: ws.status };
  }

  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const validation = validateWorkspace(ws);
  if (validation.errors.length) {
    const status = computeWorkspaceStatus({ ws, validation, pods: [], now });
    if (await writeWorkspaceStatus(ctx, ws, status))
      log.info("workspace rejected by validation", { errors: validation.errors });
    await recordTimeline(ctx, { ...ws, status }, log);
    return;
  }

  const nodes = evaluateNodes({
    ws,
    nodes: ctx.caches.nodes.list(),
    nodeClaims: ctx.caches.nodeClaims.list(),
    mode: ctx.mode,
  });
  if (ctx.mode === "nodeclaim" && !nodes.terminalFailure) {
    const created = await ensureNodeClaims(ctx, ws, nodes);
    if (created) log.info("created NodeClaims", { count: created });
  }
  if (nodes.resourceReady.status === "True") {
    const applied = await ensureWorkload(ctx, ws);
    if (applied.length) log.info("applied workload", { objects: applied });
  }

  const ns = ws.metadata.namespace;
  const name = ws.metadata.name;
  const pods = ctx.caches.pods
    .byIndex(workspaceKey(ws))
    .filter((p) => p.metadata?.namespace === ns && p.metadata?.labels?.[LABEL_WORKSPACE] === name);
  const statefulSet = ws.inference ? ctx.caches.statefulSets.get(workspaceKey(ws)) : undefined;
  const job = ws.tuning ? ctx.caches.jobs.get(workspaceKey(ws)) : undefined;
  const status = computeWorkspaceStatus({ ws, validation, nodes, statefulSet, job, pods, now });
  if (await writeWorkspaceStatus(ctx, ws, status)) {
    const changed = status.conditions
      ?.filter((c) => ws.status?.conditions?.find((o) => o.type === c.type)?.status !== c.status)
      .map((c) => `${c.type}=${c.status}`);
    log.info("status updated", { state: status.state, changed });
  }
  // Off the critical path: history must not add database and Event round trips to every
  // reconcile. The table's unique key absorbs the overlap of two passes recording at once.
  void recordTimeline(ctx, { ...ws, status }, log, {
    nodeClaims: nodes.ownClaims,
    nodeNames: new Set(status.workerNodes ?? []),
    statefulSet,
    job,
    pods,
  });
  const succeeded = status.conditions?.some((c) => c.type === ConditionType.WorkspaceSucceeded && c.status === "True");
  // A slow safety resync only: every change that matters arrives as a watch event.
  return { requeueAfterMs: succeeded ? ctx.resyncMs : Math.min(ctx.resyncMs, 60_000), priority: "low" };
}

/** At most this many timeline recordings in flight, so history never crowds out reconciles on the apiserver connection pool. */
const TIMELINE_CONCURRENCY = 8;
let timelineInFlight = 0;
const timelineWaiting: (() => void)[] = [];

async function limited<T>(run: () => Promise<T>): Promise<T> {
  if (timelineInFlight >= TIMELINE_CONCURRENCY) await new Promise<void>((resolve) => timelineWaiting.push(resolve));
  timelineInFlight++;
  try {
    return await run();
  } finally {
    timelineInFlight--;
    timelineWaiting.shift()?.();
  }
}

async function recordTimeline(
  ctx: ControllerContext,
  ws: Parameters<typeof derivePhaseTransitions>[0]["ws"],
  log: Logger,
  observed?: {
    nodeClaims: Parameters<typeof derivePhaseTransitions>[0]["nodeClaims"];
    nodeNames: Set<string>;
    statefulSet?: Parameters<typeof derivePhaseTransitions>[0]["statefulSet"];
    job?: Parameters<typeof derivePhaseTransitions>[0]["job"];
    pods: Parameters<typeof derivePhaseTransitions>[0]["pods"];
  },
): Promise<void> {
  if (!ctx.timeline) return;
  const transitions = derivePhaseTransitions({
    ws,
    nodeClaims: observed?.nodeClaims ?? [],
    nodes: observed ? ctx.caches.nodes.list().filter((n) => observed.nodeNames.has(n.metadata?.name ?? "")) : [],
    statefulSet: observed?.statefulSet,
    job: observed?.job,
    pods: observed?.pods ?? [],
  });
  try {
    await limited(() => ctx.timeline!.record(ws, transitions));
  } catch (error) {
    // The timeline is history, not control: a database hiccup must not stop provisioning.
    log.warn("timeline not recorded; will retry on the next reconcile", { error });
  }
}
