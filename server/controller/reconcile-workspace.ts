import "server-only";

import { ConditionType, Reason } from "@/lib/kaito/conditions";
import { workspaceKey, type WorkspaceStatus } from "@/server/kube/types/workspace";
import { derivePhaseTransitions } from "@/server/timeline/derive-phase-transitions";

import { describeConflict } from "./check-ownership";
import { computeWorkspaceStatus } from "./compute-workspace-status";
import type { ControllerContext } from "./controller-context";
import { ensureFinalizer } from "./ensure-finalizer";
import { ensureNodes } from "./ensure-nodes";
import { ensureWorkload } from "./ensure-workload";
import { ensurePodsCreated } from "./find-failed-pod-creation";
import type { Logger } from "./logger";
import { readBenchmarkResult, shouldRunBenchmark } from "./read-benchmark-result";
import { reconcileDeletion } from "./reconcile-deletion";
import { done, runSteps, wait, type ReconcileStep, type WorkspacePass } from "./reconcile-step";
import { validateWorkspace } from "./validate-workspace";
import type { WorkResult } from "./work-queue";
import { workspacePods } from "./workspace-pods";
import { cacheIsBehind, writeWorkspaceStatus } from "./write-workspace-status";

/** Kaito's order: finalizer → validation → nodes → workload → its pods. Status is written after whichever step stopped. */
const STEPS: readonly ReconcileStep[] = [
  ensureFinalizer,
  {
    name: "validation",
    async run(ctx, pass) {
      pass.validation = validateWorkspace(pass.ws, ctx.mode);
      // Nothing is created for an invalid spec, and only an edit (a watch event) can change that.
      return pass.validation.errors.length ? wait(null, Reason.ValidationFailed) : done;
    },
  },
  ensureNodes,
  ensureWorkload,
  ensurePodsCreated,
];

/**
 * One pass over one Workspace: the steps run until one is not done, then the status says what
 * the cluster shows, as Kaito's deferred condition updates do. The next watch event (a NodeClaim
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

  const pass: WorkspacePass = { key, ws: cached, log };
  const outcome = await runSteps(ctx, pass, STEPS);
  const status = await updateStatus(ctx, pass);
  if (outcome.kind === "wait") {
    log.debug("pass stopped", { step: outcome.step, reason: outcome.reason, requeueAfterMs: outcome.requeueAfterMs });
    return outcome.requeueAfterMs === null ? undefined : { requeueAfterMs: outcome.requeueAfterMs, priority: "low" };
  }
  const succeeded = status.conditions?.some((c) => c.type === ConditionType.WorkspaceSucceeded && c.status === "True");
  // A slow safety resync only: every change that matters arrives as a watch event.
  return { requeueAfterMs: succeeded ? ctx.resyncMs : Math.min(ctx.resyncMs, 60_000), priority: "low" };
}

/** Writes the status the steps' findings add up to (only when it changed), and records its history. */
async function updateStatus(ctx: ControllerContext, pass: WorkspacePass): Promise<WorkspaceStatus> {
  const { ws, log, nodes } = pass;
  const validation = pass.validation ?? { errors: [], warnings: [] };
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  if (validation.errors.length) {
    const status = computeWorkspaceStatus({ ws, validation, pods: [], now });
    if (await writeWorkspaceStatus(ctx, ws, status))
      log.info("workspace rejected by validation", { errors: validation.errors });
    await recordTimeline(ctx, { ...ws, status }, log);
    return status;
  }

  const pods = workspacePods(ctx, ws);
  const statefulSet = ws.inference ? ctx.caches.statefulSets.get(workspaceKey(ws)) : undefined;
  const job = ws.tuning ? ctx.caches.jobs.get(workspaceKey(ws)) : undefined;
  const conflict = pass.conflict && describeConflict(pass.conflict);
  const { failedCreate } = pass;
  const input = { ws, validation, nodes, conflict, failedCreate, statefulSet, job, pods, now };
  let status = computeWorkspaceStatus(input);
  if (benchmarkDue(ws, status))
    status = computeWorkspaceStatus({ ...input, benchmark: await readBenchmarkResult(ctx.client, ws) });
  if (await writeWorkspaceStatus(ctx, ws, status)) {
    const changed = status.conditions
      ?.filter((c) => ws.status?.conditions?.find((o) => o.type === c.type)?.status !== c.status)
      .map((c) => `${c.type}=${c.status}`);
    log.info("status updated", { state: status.state, changed });
  }
  // Off the critical path: history must not add database and Event round trips to every
  // reconcile. The table's unique key absorbs the overlap of two passes recording at once.
  void recordTimeline(ctx, { ...ws, status }, log, {
    nodeClaims: nodes?.ownClaims ?? [],
    nodeNames: new Set(status.workerNodes ?? []),
    statefulSet,
    job,
    pods,
  });
  return status;
}

/**
 * Upstream reads the post-load benchmark once the model serves, until a result is recorded (then
 * never again): only a Workspace whose inference is ready and has no BenchmarkCompleted=True.
 */
function benchmarkDue(ws: WorkspacePass["ws"], status: WorkspaceStatus): boolean {
  const ready = status.conditions?.some((c) => c.type === ConditionType.InferenceReady && c.status === "True");
  const recorded = ws.status?.conditions?.some(
    (c) => c.type === ConditionType.BenchmarkCompleted && c.status === "True",
  );
  return !!ready && !recorded && shouldRunBenchmark(ws);
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
    await ctx.timelineSlots.run(() => ctx.timeline!.record(ws, transitions));
  } catch (error) {
    // The timeline is history, not control: a database hiccup must not stop provisioning.
    log.warn("timeline not recorded; will retry on the next reconcile", { error });
  }
}
