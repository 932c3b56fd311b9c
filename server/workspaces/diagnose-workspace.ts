import "server-only";

import { ConditionType, Reason } from "@/lib/kaito/conditions";
import type { Workspace } from "@/server/kube/types/workspace";

import type { Diagnosis, NodeClaimView, PodView, TimelinePhase } from "./workspace-detail-types";

const IMAGE_PULL_REASONS = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]);

function provisioningCause(text: string): Diagnosis["cause"] | null {
  if (/quota/i.test(text)) return "quota";
  if (/unavailable|insufficient ?capacity|capacity|no instance/i.test(text)) return "no-capacity";
  return null;
}

/**
 * Answers "why is this not ready?" with the one step that blocks and its cause, looking at the
 * lowest layer first: a crash-looping pod matters less than the VM that never launched under it.
 * Returns null for a workspace that is ready (or a tuning job that succeeded).
 */
export function diagnoseWorkspace(
  ws: Workspace,
  nodeClaims: NodeClaimView[],
  pods: PodView[],
  timeline: TimelinePhase[],
): Diagnosis | null {
  const conditions = ws.status?.conditions ?? [];
  if (ws.metadata.deletionTimestamp) {
    const deleting = conditions.find((c) => c.type === ConditionType.WorkspaceDeleting);
    return {
      step: "Deletion",
      cause: "deleting",
      title: "The workspace is being deleted",
      detail: deleting?.message ?? "Waiting for its NodeClaims to be removed before the finalizer is released.",
    };
  }
  const succeeded = conditions.find((c) => c.type === ConditionType.WorkspaceSucceeded);
  if (succeeded?.status === "True") return null;

  const gpuMemory = conditions.find(
    (c) => c.status === "False" && /Insufficient total GPU memory/i.test(c.message ?? ""),
  );
  if (gpuMemory)
    return {
      step: "Validation",
      cause: "gpu-memory",
      title: "Too little GPU memory for this model",
      detail: gpuMemory.message ?? "",
    };

  for (const nc of nodeClaims) {
    for (const c of nc.conditions) {
      if (c.status !== "False") continue;
      const cause = provisioningCause(`${c.reason ?? ""} ${c.message ?? ""}`);
      if (cause)
        return {
          step: "VM launch",
          cause,
          title: cause === "quota" ? "The cloud quota is exhausted" : "No GPU capacity for this instance type",
          detail: `NodeClaim ${nc.name}: ${c.reason ?? ""} ${c.message ?? ""}`.trim(),
        };
    }
  }
  const resource = conditions.find((c) => c.type === ConditionType.ResourceReady && c.status === "False");
  const resourceCause = resource && provisioningCause(`${resource.reason ?? ""} ${resource.message ?? ""}`);
  if (resource && resourceCause)
    return {
      step: "VM launch",
      cause: resourceCause,
      title: resourceCause === "quota" ? "The cloud quota is exhausted" : "No GPU capacity for this instance type",
      detail: resource.message ?? resource.reason ?? "",
    };

  for (const pod of pods) {
    for (const container of pod.containers) {
      const label = `Pod ${pod.name}, container ${container.name}`;
      if (container.lastTerminationReason === "OOMKilled" || container.stateReason === "OOMKilled")
        return {
          step: "Model load",
          cause: "oom",
          title: "The model server ran out of memory (OOMKilled)",
          detail: `${label} was killed for using more memory than its limit (${container.restarts} restarts). Pick a larger instance type or lower max-model-len.`,
        };
      if (container.stateReason === "CrashLoopBackOff")
        return {
          step: "Model load",
          cause: "crash-loop",
          title: "The model server keeps crashing",
          detail: `${label} restarted ${container.restarts} times; last exit ${container.lastTerminationReason ?? "unknown"}${
            container.lastTerminationExitCode !== null ? ` (code ${container.lastTerminationExitCode})` : ""
          }.`,
        };
      if (container.stateReason && IMAGE_PULL_REASONS.has(container.stateReason))
        return {
          step: "Image pull",
          cause: "image-pull",
          title: "The container image cannot be pulled",
          detail: `${label}: ${container.stateReason}${container.stateMessage ? ` — ${container.stateMessage}` : ""}`,
        };
    }
    const unscheduled = pod.conditions.find((c) => c.type === "PodScheduled" && c.status === "False");
    if (unscheduled)
      return {
        step: "Scheduling",
        cause: "unschedulable",
        title: "The pod cannot be placed on a GPU node",
        detail: `Pod ${pod.name}: ${unscheduled.message ?? unscheduled.reason ?? "unschedulable"}`,
      };
  }

  const inference = conditions.find((c) => c.type === ConditionType.InferenceReady && c.status === "False");
  const byReason: Record<string, Diagnosis["cause"]> = {
    [Reason.ContainerOOMKilled]: "oom",
    [Reason.ContainerCrashLoopBackOff]: "crash-loop",
    [Reason.ImagePullError]: "image-pull",
    [Reason.Unschedulable]: "unschedulable",
  };
  if (inference?.reason && byReason[inference.reason])
    return {
      step: "Model load",
      cause: byReason[inference.reason],
      title: inference.reason,
      detail: inference.message ?? "",
    };

  const failedCondition = conditions.find(
    (c) => c.status === "False" && c.reason && /Invalid|Unsupported|Failed/i.test(c.reason),
  );
  if (failedCondition)
    return {
      step: "Validation",
      cause: "validation",
      title: failedCondition.reason!,
      detail: failedCondition.message ?? "",
    };

  const running = timeline.find((p) => p.status === "running");
  return {
    step: running?.label ?? "Waiting for NodeClaim",
    cause: "waiting",
    title: running ? `In progress: ${running.label}` : "Waiting for the controller to act",
    detail: running
      ? `Nothing has failed; the workspace is waiting for “${running.label}” to finish.`
      : "No NodeClaim or pod exists yet. Is the controller (worker) running?",
  };
}
