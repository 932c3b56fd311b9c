import "server-only";

import { ConditionType } from "@/lib/kaito/conditions";
import {
  InferenceSetConditionType,
  InferenceSetMessage,
  InferenceSetReason,
  inferenceSetSelector,
} from "@/lib/kaito/inferenceset";
import type { InferenceSet, InferenceSetStatus } from "@/server/kube/types/inferenceset";
import type { Workspace, WorkspaceCondition } from "@/server/kube/types/workspace";

import type { ReplicaPlan } from "./plan-replicas";

export type Verdict = Pick<WorkspaceCondition, "status" | "reason" | "message">;

/** Upstream counts a child as ready once it succeeded (WorkspaceSucceeded=True). */
export function isReadyChild(ws: Workspace): boolean {
  return !!ws.status?.conditions?.some((c) => c.type === ConditionType.WorkspaceSucceeded && c.status === "True");
}

/**
 * Sets condition `type` to `verdict`, keeping lastTransitionTime when the status did not
 * change (metav1 SetStatusCondition); `undefined` removes it.
 */
export function setCondition(
  conditions: WorkspaceCondition[],
  type: string,
  verdict: Verdict | undefined,
  generation: number | undefined,
  now: string,
): WorkspaceCondition[] {
  const old = conditions.find((c) => c.type === type);
  if (!verdict) return conditions.filter((c) => c !== old);
  const next: WorkspaceCondition = {
    type,
    ...verdict,
    lastTransitionTime: old && old.status === verdict.status ? old.lastTransitionTime : now,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
  // In place, so that an unchanged status serializes the same and is not written again.
  return old ? conditions.map((c) => (c === old ? next : c)) : [...conditions, next];
}

function nodeLimitVerdict(set: InferenceSet, plan: ReplicaPlan): Verdict | undefined {
  if (!set.spec.nodeCountLimit) return undefined;
  if (!plan.limited)
    return {
      status: "False",
      reason: InferenceSetReason.WithinNodeCountLimit,
      message: `${plan.desired} replicas fit within nodeCountLimit ${set.spec.nodeCountLimit}`,
    };
  const { maxReplicas, nodesPerReplica, limit } = plan.limited;
  return {
    status: "True",
    reason: InferenceSetReason.NodeCountLimitExceeded,
    message:
      `${plan.desired} replicas of ${nodesPerReplica} node(s) each would need ${plan.desired * nodesPerReplica} nodes, ` +
      `more than nodeCountLimit ${limit}: the set stops at ${maxReplicas} replicas`,
  };
}

/**
 * The status upstream's controller writes (replicas, readyReplicas, selector, InferenceSetReady
 * with its reasons and messages), plus our NodeCountLimitReached. `replicas` counts the children
 * that exist and are not being deleted: it is what an HPA reads as the current scale.
 */
export function computeInferenceSetStatus(input: {
  set: InferenceSet;
  plan: ReplicaPlan;
  autoscaling?: Verdict;
  now: string;
}): InferenceSetStatus {
  const { set, plan, now } = input;
  const generation = set.metadata.generation;
  const ready = plan.live.filter(isReadyChild).length;
  let conditions = set.status?.conditions ?? [];
  conditions = setCondition(
    conditions,
    InferenceSetConditionType.Ready,
    ready === plan.desired
      ? { status: "True", reason: InferenceSetReason.Ready, message: InferenceSetMessage.Ready }
      : {
          status: "False",
          reason: InferenceSetReason.NotReady,
          message: InferenceSetMessage.notReady(ready, plan.desired),
        },
    generation,
    now,
  );
  conditions = setCondition(
    conditions,
    InferenceSetConditionType.NodeCountLimitReached,
    nodeLimitVerdict(set, plan),
    generation,
    now,
  );
  conditions = setCondition(conditions, InferenceSetConditionType.AutoscalingReady, input.autoscaling, generation, now);
  return {
    ...set.status,
    replicas: plan.live.length,
    readyReplicas: ready,
    selector: inferenceSetSelector(set.metadata.name),
    conditions,
  };
}
