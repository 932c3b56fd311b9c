import "server-only";

import type { V1Job, V1Node, V1Pod, V1StatefulSet } from "@kubernetes/client-node";

import { ConditionType, Reason } from "@/lib/kaito/conditions";
import { nodeClaimCondition, NodeClaimConditionType, type NodeClaim } from "@/server/kube/types/nodeclaim";
import type { Workspace } from "@/server/kube/types/workspace";

export const Phase = {
  Accepted: "Accepted",
  NodeClaimCreated: "NodeClaimCreated",
  NodeClaimLaunched: "NodeClaimLaunched",
  NodeClaimRegistered: "NodeClaimRegistered",
  NodeClaimInitialized: "NodeClaimInitialized",
  NodeClaimReady: "NodeClaimReady",
  NodeReady: "NodeReady",
  GpuCapacityReported: "GpuCapacityReported",
  WorkloadCreated: "WorkloadCreated",
  /** A pod (re)created: a second one of the same name marks a new rollout in the timeline. */
  PodCreated: "PodCreated",
  PodScheduled: "PodScheduled",
  ContainerStarted: "ContainerStarted",
  PodReady: "PodReady",
  ResourceReady: "ResourceReady",
  InferenceReady: "InferenceReady",
  JobStarted: "JobStarted",
  WorkspaceSucceeded: "WorkspaceSucceeded",
  Failed: "Failed",
  Deleting: "Deleting",
  Deleted: "Deleted",
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

export type PhaseTransition = {
  phase: Phase;
  /** The NodeClaim, Node or Pod the phase is about; "" for the Workspace itself. */
  subject: string;
  /** The Kubernetes timestamp of the transition, never the time we noticed it. */
  occurredAt: string;
  reason?: string;
  message?: string;
  severity: "Normal" | "Warning";
};

const PENDING_REASONS = new Set<string>([
  Reason.NodeClaimNotReady,
  Reason.NodeNotReady,
  Reason.NodePluginsNotReady,
  Reason.InferencePending,
  Reason.JobPending,
  Reason.WorkspacePending,
]);

export type TimelineObservation = {
  ws: Workspace;
  nodeClaims: NodeClaim[];
  nodes: V1Node[];
  statefulSet?: V1StatefulSet;
  job?: V1Job;
  pods: V1Pod[];
};

/**
 * Every phase the cluster shows for one Workspace, each with the timestamp Kubernetes stored.
 * Deriving them from observed objects (not from what this process did) is what makes recording
 * idempotent: a restarted or second worker derives the same rows with the same keys.
 */
export function derivePhaseTransitions(o: TimelineObservation): PhaseTransition[] {
  const out: PhaseTransition[] = [];
  const push = (t: Omit<PhaseTransition, "severity"> & { severity?: PhaseTransition["severity"] }) => {
    if (t.occurredAt) out.push({ severity: "Normal", ...t });
  };
  push({ phase: Phase.Accepted, subject: "", occurredAt: iso(o.ws.metadata.creationTimestamp ?? "") });

  const claimPhases: [string, Phase][] = [
    [NodeClaimConditionType.Launched, Phase.NodeClaimLaunched],
    [NodeClaimConditionType.Registered, Phase.NodeClaimRegistered],
    [NodeClaimConditionType.Initialized, Phase.NodeClaimInitialized],
    [NodeClaimConditionType.Ready, Phase.NodeClaimReady],
  ];
  for (const claim of o.nodeClaims) {
    const name = claim.metadata.name;
    push({ phase: Phase.NodeClaimCreated, subject: name, occurredAt: iso(claim.metadata.creationTimestamp ?? "") });
    for (const [type, phase] of claimPhases) {
      const c = nodeClaimCondition(claim, type);
      if (c?.status === "True" && c.lastTransitionTime)
        push({ phase, subject: name, occurredAt: c.lastTransitionTime });
      if (
        c?.status === "False" &&
        c.reason &&
        c.lastTransitionTime &&
        type === NodeClaimConditionType.Launched &&
        c.message
      )
        push({
          phase: Phase.Failed,
          subject: name,
          occurredAt: c.lastTransitionTime,
          reason: c.reason,
          message: c.message,
          severity: "Warning",
        });
    }
  }
  for (const node of o.nodes) {
    const name = node.metadata?.name ?? "";
    const ready = node.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True");
    if (!ready?.lastTransitionTime) continue;
    const at = iso(ready.lastTransitionTime);
    push({ phase: Phase.NodeReady, subject: name, occurredAt: at });
    // The apiserver keeps no timestamp for capacity; a Ready node already reporting GPUs did so by its Ready time.
    if (Number.parseInt(node.status?.capacity?.["nvidia.com/gpu"] ?? "0", 10) > 0)
      push({ phase: Phase.GpuCapacityReported, subject: name, occurredAt: at });
  }
  const workload = o.statefulSet ?? o.job;
  if (workload?.metadata?.creationTimestamp)
    push({
      phase: Phase.WorkloadCreated,
      subject: workload.metadata.name ?? "",
      occurredAt: iso(workload.metadata.creationTimestamp),
    });
  for (const pod of o.pods) {
    const name = pod.metadata?.name ?? "";
    if (pod.metadata?.creationTimestamp)
      push({ phase: Phase.PodCreated, subject: name, occurredAt: iso(pod.metadata.creationTimestamp) });
    const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "True");
    if (scheduled?.lastTransitionTime)
      push({ phase: Phase.PodScheduled, subject: name, occurredAt: iso(scheduled.lastTransitionTime) });
    for (const cs of pod.status?.containerStatuses ?? []) {
      const startedAt = cs.state?.running?.startedAt ?? cs.state?.terminated?.startedAt;
      if (startedAt) push({ phase: Phase.ContainerStarted, subject: `${name}/${cs.name}`, occurredAt: iso(startedAt) });
    }
    const ready = pod.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True");
    if (ready?.lastTransitionTime)
      push({ phase: Phase.PodReady, subject: name, occurredAt: iso(ready.lastTransitionTime) });
  }
  const conditionPhases: [string, Phase][] = [
    [ConditionType.ResourceReady, Phase.ResourceReady],
    [ConditionType.InferenceReady, Phase.InferenceReady],
    [ConditionType.JobStarted, Phase.JobStarted],
    [ConditionType.WorkspaceSucceeded, Phase.WorkspaceSucceeded],
  ];
  for (const c of o.ws.status?.conditions ?? []) {
    const phase = conditionPhases.find(([type]) => type === c.type)?.[1];
    if (!phase || !c.lastTransitionTime) continue;
    if (c.status === "True") push({ phase, subject: "", occurredAt: c.lastTransitionTime, reason: c.reason });
    else if (c.status === "False" && !PENDING_REASONS.has(c.reason))
      push({
        phase: Phase.Failed,
        subject: c.type,
        occurredAt: c.lastTransitionTime,
        reason: c.reason,
        message: c.message,
        severity: "Warning",
      });
  }
  if (o.ws.metadata.deletionTimestamp)
    push({ phase: Phase.Deleting, subject: "", occurredAt: iso(o.ws.metadata.deletionTimestamp) });
  return out;
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}
