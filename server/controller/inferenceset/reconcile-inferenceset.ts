import "server-only";

import {
  INFERENCESET_FINALIZER,
  InferenceSetConditionType,
  InferenceSetMessage,
  InferenceSetReason,
} from "@/lib/kaito/inferenceset";
import { mergePatch } from "@/server/kube/apply-object";
import { isAlreadyExists, isNotFound } from "@/server/kube/kube-client";
import { workspaceObjectPath, workspacesPath } from "@/server/kube/kube-paths";
import type { InferenceSet, InferenceSetStatus } from "@/server/kube/types/inferenceset";
import type { Workspace } from "@/server/kube/types/workspace";

import { canonical } from "../compute-workspace-status";
import type { Logger } from "../logger";
import type { WorkResult } from "../work-queue";
import { computeInferenceSetStatus, setCondition } from "./compute-inferenceset-status";
import { ensureAutoscaling } from "./ensure-autoscaling";
import type { InferenceSetContext } from "./inferenceset-context";
import { inferenceSetPath } from "./inferenceset-paths";
import { planReplicas } from "./plan-replicas";
import { isChildOf, renderChildWorkspace } from "./render-child-workspace";

/** Creates and deletes this many children at once: a 0 → 200 scale is 20 round trips, not 200. */
const WRITE_BATCH = 10;
const KEDA_RECHECK_MS = 15_000;

const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

/** The set's children as the cache shows them, with deletions we issued and it has not seen yet. */
function observedChildren(ctx: InferenceSetContext, key: string, set: InferenceSet): Workspace[] {
  const pending = ctx.deleting.get(key);
  const children = ctx.children.byIndex(key).filter((ws) => isChildOf(ws, set));
  if (!pending) return children;
  // By uid: a replacement may take the deleted child's slot, and so its name.
  const present = new Set(children.map((ws) => ws.metadata.uid));
  for (const uid of pending) if (!present.has(uid)) pending.delete(uid);
  return children.map((ws) => {
    if (!pending.has(ws.metadata.uid ?? "")) return ws;
    if (ws.metadata.deletionTimestamp) {
      pending.delete(ws.metadata.uid ?? "");
      return ws;
    }
    return { ...ws, metadata: { ...ws.metadata, deletionTimestamp: new Date() } };
  });
}

async function inBatches<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += WRITE_BATCH) await Promise.all(items.slice(i, i + WRITE_BATCH).map(run));
}

async function createChild(ctx: InferenceSetContext, key: string, set: InferenceSet, index: number): Promise<void> {
  const child = renderChildWorkspace(set, index);
  try {
    const created = await ctx.client.request<Workspace>({
      method: "POST",
      path: workspacesPath(set.metadata.namespace ?? ""),
      body: child,
    });
    ctx.children.rememberCreated(created);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    // Ours from a pass that died before its watch event (kill -9), or someone else's Workspace.
    const existing = await ctx.client.request<Workspace>({ method: "GET", path: workspaceObjectPath(child) });
    if (isChildOf(existing, set)) ctx.children.rememberCreated(existing);
    else ctx.blocked.set(key, new Set([...(ctx.blocked.get(key) ?? []), child.metadata.name]));
  }
}

async function deleteChild(ctx: InferenceSetContext, key: string, child: Workspace): Promise<void> {
  const pending = ctx.deleting.get(key) ?? new Set<string>();
  const uid = child.metadata.uid ?? "";
  pending.add(uid);
  ctx.deleting.set(key, pending);
  try {
    // The uid precondition: a same-named Workspace made since the cache saw this one is not ours to delete.
    await ctx.client.request({
      method: "DELETE",
      path: workspaceObjectPath(child),
      body: { apiVersion: "v1", kind: "DeleteOptions", preconditions: { uid: child.metadata.uid } },
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    pending.delete(uid);
  }
}

async function writeStatus(ctx: InferenceSetContext, key: string, set: InferenceSet, status: InferenceSetStatus) {
  const next = canonical(status);
  if (next === canonical(set.status ?? {}) || next === ctx.lastStatus.get(key)) return false;
  await mergePatch(ctx.client, `${inferenceSetPath(set)}/status`, { status });
  ctx.lastStatus.set(key, next);
  return true;
}

async function setFinalizer(ctx: InferenceSetContext, set: InferenceSet, present: boolean): Promise<void> {
  const current = set.metadata.finalizers ?? [];
  if (current.includes(INFERENCESET_FINALIZER) === present) return;
  const finalizers = present
    ? [...current, INFERENCESET_FINALIZER]
    : current.filter((f) => f !== INFERENCESET_FINALIZER);
  // With the resourceVersion it was computed from: someone else's concurrent finalizer edit is a Conflict, not lost.
  await mergePatch(ctx.client, inferenceSetPath(set), {
    metadata: { finalizers, resourceVersion: set.metadata.resourceVersion },
  });
}

/**
 * Upstream's deletion: InferenceSetDeleting=True, delete every child (each frees its NodeClaims
 * through the Workspace finalizer), then let the set go. The ownerReferences would get the
 * children deleted by the garbage collector anyway; deleting them here makes it immediate.
 */
async function reconcileSetDeletion(ctx: InferenceSetContext, key: string, set: InferenceSet): Promise<WorkResult> {
  if (!set.metadata.finalizers?.includes(INFERENCESET_FINALIZER)) return;
  const conditions = setCondition(
    set.status?.conditions ?? [],
    InferenceSetConditionType.Deleting,
    { status: "True", reason: InferenceSetReason.Deleted, message: InferenceSetMessage.Deleting },
    set.metadata.generation,
    now(),
  );
  await writeStatus(ctx, key, set, { ...set.status, conditions });
  const live = observedChildren(ctx, key, set).filter((ws) => !ws.metadata.deletionTimestamp);
  await inBatches(live, (ws) => deleteChild(ctx, key, ws));
  await setFinalizer(ctx, set, false).catch((error) => {
    if (!isNotFound(error)) throw error;
  });
}

/**
 * One pass over one InferenceSet: finalizer → children (create the missing, delete the extra,
 * newest first, within nodeCountLimit) → autoscaling (KEDA ScaledObject) → status. Children's own watch events bring the set back
 * as they become ready, so nothing polls.
 */
export async function reconcileInferenceSet(ctx: InferenceSetContext, key: string, log: Logger): Promise<WorkResult> {
  const set = ctx.sets.get(key);
  if (!set) {
    ctx.deleting.delete(key);
    ctx.blocked.delete(key);
    ctx.lastStatus.delete(key);
    ctx.scaledObjects.delete(key);
    ctx.report(key);
    return;
  }
  if (set.metadata.deletionTimestamp) return reconcileSetDeletion(ctx, key, set);
  await setFinalizer(ctx, set, true);

  const plan = planReplicas(set, observedChildren(ctx, key, set), ctx.blocked.get(key));
  if (plan.create.length || plan.remove.length)
    log.info("scaling", {
      desired: plan.desired,
      live: plan.live.length,
      create: plan.create.length,
      remove: plan.remove.map((ws) => ws.metadata.name),
    });
  await inBatches(plan.create, (index) => createChild(ctx, key, set, index));
  await inBatches(plan.remove, (ws) => deleteChild(ctx, key, ws));

  const autoscaling = await ensureAutoscaling(ctx, key, set, plan.nodesPerReplica);
  const status = computeInferenceSetStatus({
    set,
    plan: { ...plan, live: observedChildren(ctx, key, set).filter((ws) => !ws.metadata.deletionTimestamp) },
    autoscaling,
    now: now(),
  });
  ctx.report(key, { desired: plan.desired, current: status.replicas ?? 0, ready: status.readyReplicas ?? 0 });
  if (await writeStatus(ctx, key, set, status))
    log.info("status updated", { replicas: status.replicas, readyReplicas: status.readyReplicas });
  // No watch tells us when KEDA gets installed: look again now and then while it is missing.
  return autoscaling?.reason === InferenceSetReason.KedaNotInstalled
    ? { requeueAfterMs: KEDA_RECHECK_MS, priority: "low" }
    : undefined;
}
