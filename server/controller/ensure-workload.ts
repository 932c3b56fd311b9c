import "server-only";

import { ConditionType, WorkspaceState } from "@/lib/kaito/conditions";
import { applyObject, type ApplyTarget } from "@/server/kube/apply-object";
import type { Informer, KubeObject } from "@/server/kube/create-informer";
import { needsApply, withAppliedHash } from "@/server/kube/needs-apply";
import type { Workspace } from "@/server/kube/types/workspace";

import type { ControllerContext } from "./controller-context";
import { done, type ReconcileStep } from "./reconcile-step";
import { renderInferenceServices } from "./render-inference-services";
import { renderInferenceStatefulSet } from "./render-inference-statefulset";
import { renderTuningJob } from "./render-tuning-job";

async function ensureObject<T extends KubeObject>(
  ctx: ControllerContext,
  cache: Informer<T>,
  rendered: ApplyTarget,
): Promise<boolean> {
  const desired = withAppliedHash(rendered as ApplyTarget & { metadata: { annotations?: Record<string, string> } });
  const observed = cache.get(`${desired.metadata.namespace}/${desired.metadata.name}`);
  if (!needsApply(desired, observed as Parameters<typeof needsApply>[1])) return false;
  const applied = await applyObject<T>(ctx.client, desired);
  cache.rememberCreated(applied);
  return true;
}

/**
 * The inference StatefulSet and its two Services, or the tuning Job. Applied only when missing,
 * changed by us (adapters edited) or edited by someone else (drift), so a steady Workspace
 * costs no writes.
 */
export async function applyWorkload(ctx: ControllerContext, ws: Workspace): Promise<string[]> {
  const applied: string[] = [];
  if (ws.inference) {
    const [service, headless] = renderInferenceServices(ws);
    const sts = renderInferenceStatefulSet(ws, ctx.render);
    // Independent objects (the StatefulSet names its headless Service, it does not need it to
    // exist): one round trip instead of three while the apiserver is slow under load.
    const done = await Promise.all([
      ensureObject(ctx, ctx.caches.services, service as ApplyTarget),
      ensureObject(ctx, ctx.caches.services, headless as ApplyTarget),
      ensureObject(ctx, ctx.caches.statefulSets, sts as ApplyTarget),
    ]);
    const names = [
      `Service/${service.metadata?.name}`,
      `Service/${headless.metadata?.name}`,
      `StatefulSet/${sts.metadata?.name}`,
    ];
    return names.filter((_, i) => done[i]);
  }
  if (ws.tuning) {
    // A finished tuning run is never started again, even if someone deletes its Job.
    const finished = ws.status?.state === WorkspaceState.Succeeded || ws.status?.state === WorkspaceState.Failed;
    const succeeded = ws.status?.conditions?.some(
      (c) => c.type === ConditionType.WorkspaceSucceeded && c.status === "True",
    );
    const key = `${ws.metadata.namespace}/${ws.metadata.name}`;
    // A Job's pod template is immutable: create it once, never re-apply.
    if (!finished && !succeeded && !ctx.caches.jobs.get(key)) {
      const job = await applyObject<KubeObject>(ctx.client, renderTuningJob(ws, ctx.render) as ApplyTarget);
      ctx.caches.jobs.rememberCreated(job as never);
      applied.push(`Job/${ws.metadata.name}`);
    }
  }
  return applied;
}

/** The step after the nodes are ready: the workload exists as rendered. */
export const ensureWorkload: ReconcileStep = {
  name: "workload",
  async run(ctx, pass) {
    const applied = await applyWorkload(ctx, pass.ws);
    if (applied.length) pass.log.info("applied workload", { objects: applied });
    return done;
  },
};
