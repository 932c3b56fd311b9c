import "server-only";

import type { V1ObjectMeta } from "@kubernetes/client-node";

import { ConditionType, WorkspaceState } from "@/lib/kaito/conditions";
import { applyObject, objectPath, type ApplyTarget } from "@/server/kube/apply-object";
import type { Informer, KubeObject } from "@/server/kube/create-informer";
import { isNotFound } from "@/server/kube/kube-client";
import { needsApply, withAppliedHash } from "@/server/kube/needs-apply";
import type { Workspace } from "@/server/kube/types/workspace";

import { isControlledBy, resourceConflict, type ResourceConflict } from "./check-ownership";
import type { ControllerContext } from "./controller-context";
import type { NodeEvaluation } from "./evaluate-nodes";
import { done, wait, type ReconcileStep } from "./reconcile-step";
import { renderInferenceServices } from "./render-inference-services";
import { renderInferenceStatefulSet } from "./render-inference-statefulset";
import { renderTuningJob } from "./render-tuning-job";

type Observed = KubeObject & { metadata?: V1ObjectMeta };

/**
 * The object as it is, or undefined when there is none. The caches watch only objects labelled
 * with a Workspace, so an object someone else made under the same name is not in them: before
 * creating, ask the apiserver, and never apply over what is there.
 */
async function lookUp<T extends KubeObject>(
  ctx: ControllerContext,
  cache: Informer<T>,
  target: ApplyTarget,
): Promise<Observed | undefined> {
  const cached = cache.get(`${target.metadata.namespace}/${target.metadata.name}`) as Observed | undefined;
  if (cached) return cached;
  try {
    const path = objectPath(target.apiVersion, target.kind, target.metadata.namespace, target.metadata.name);
    return await ctx.client.request<Observed>({ method: "GET", path });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

type Planned<T extends KubeObject> = { cache: Informer<T>; desired: ApplyTarget; immutable?: boolean };

/**
 * Applies each object that is missing, changed by us (adapters edited) or edited by someone else
 * (drift) — and none at all when one of them exists with another controller: server-side apply
 * is forced, which takes fields from other managers, right for drift on our own objects and never
 * for someone else's (docs/controller.md, "Objects the controller owns").
 */
async function ensureObjects(
  ctx: ControllerContext,
  ws: Workspace,
  planned: Planned<KubeObject>[],
): Promise<{ applied: string[]; conflict?: ResourceConflict }> {
  const targets = planned.map((p) => ({
    ...p,
    desired: withAppliedHash(p.desired as ApplyTarget & { metadata: { annotations?: Record<string, string> } }),
  }));
  // Independent objects (the StatefulSet names its headless Service, it does not need it to
  // exist): one round trip for all of them instead of one each while the apiserver is slow.
  const observed = await Promise.all(targets.map((t) => lookUp(ctx, t.cache, t.desired)));
  const foreign = observed.findIndex((o) => o && !isControlledBy(ws, o.metadata));
  if (foreign !== -1)
    return { applied: [], conflict: resourceConflict(targets[foreign].desired.kind, observed[foreign]!.metadata) };
  const stale = targets.filter((t, i) => {
    const o = observed[i];
    return !o || (!t.immutable && needsApply(t.desired, o as Parameters<typeof needsApply>[1]));
  });
  await Promise.all(
    stale.map(async (t) => t.cache.rememberCreated(await applyObject<KubeObject>(ctx.client, t.desired))),
  );
  return { applied: stale.map((t) => `${t.desired.kind}/${t.desired.metadata.name}`) };
}

/**
 * Whether the inference pods are pinned to the Workspace's own nodes, as upstream pins them when
 * its provisioner makes the nodes. Not when it reuses a node (preferredNodes, or a free one matching
 * the selector): that node carries no label of this Workspace, and labelling it would change an
 * object the controller does not own.
 */
function onOwnNodesOnly(ctx: ControllerContext, nodes: NodeEvaluation | undefined): boolean {
  return ctx.mode === "nodeclaim" && !!nodes && nodes.reusedNodes.length === 0;
}

/**
 * The inference StatefulSet and its two Services, or the tuning Job, as far as they are ours to
 * write: the names of the objects applied, or the object that belongs to someone else.
 */
export async function applyWorkload(
  ctx: ControllerContext,
  ws: Workspace,
  nodes: NodeEvaluation | undefined,
): Promise<{ applied: string[]; conflict?: ResourceConflict }> {
  const caches = ctx.caches as unknown as Record<"services" | "statefulSets" | "jobs", Informer<KubeObject>>;
  if (ws.inference) {
    const [service, headless] = renderInferenceServices(ws);
    const sts = renderInferenceStatefulSet(ws, ctx.render, onOwnNodesOnly(ctx, nodes));
    return ensureObjects(ctx, ws, [
      { cache: caches.services, desired: service as ApplyTarget },
      { cache: caches.services, desired: headless as ApplyTarget },
      { cache: caches.statefulSets, desired: sts as ApplyTarget },
    ]);
  }
  if (ws.tuning) {
    // A finished tuning run is never started again, even if someone deletes its Job.
    const finished = ws.status?.state === WorkspaceState.Succeeded || ws.status?.state === WorkspaceState.Failed;
    const succeeded = ws.status?.conditions?.some(
      (c) => c.type === ConditionType.WorkspaceSucceeded && c.status === "True",
    );
    if (finished || succeeded) return { applied: [] };
    // A Job's pod template is immutable: create it once, never re-apply.
    const job = renderTuningJob(ws, ctx.render) as ApplyTarget;
    return ensureObjects(ctx, ws, [{ cache: caches.jobs, desired: job, immutable: true }]);
  }
  return { applied: [] };
}

/**
 * The step after the nodes are ready: the workload exists as rendered. An object of ours that
 * someone else holds stops the pass; it is not watched (it lacks our label), so the pass comes back
 * on a timer to see whether it has gone.
 */
export const ensureWorkload: ReconcileStep = {
  name: "workload",
  async run(ctx, pass) {
    const { applied, conflict } = await applyWorkload(ctx, pass.ws, pass.nodes);
    if (applied.length) pass.log.info("applied workload", { objects: applied });
    if (conflict) {
      pass.conflict = conflict;
      return wait(Math.min(ctx.resyncMs, 30_000), "ResourceConflict");
    }
    return done;
  },
};
