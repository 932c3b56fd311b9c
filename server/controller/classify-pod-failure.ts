import "server-only";

import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";

import { MAX_CONDITION_MESSAGE, Reason } from "@/lib/kaito/conditions";

export type PodFailure = { reason: Reason; message: string; pod: string };

const IMAGE_PULL_REASONS = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]);
const START_ERROR_REASONS = new Set([
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
  "StartError",
  "ContainerCannotRun",
  "PreStartHookError",
]);

export function truncateMessage(message: string): string {
  return message.length <= MAX_CONDITION_MESSAGE ? message : `${message.slice(0, MAX_CONDITION_MESSAGE - 1)}…`;
}

function classifyContainer(pod: string, cs: V1ContainerStatus): PodFailure | undefined {
  const waiting = cs.state?.waiting;
  const terminated = cs.state?.terminated;
  const last = cs.lastState?.terminated;
  const where = `pod ${pod} container ${cs.name}`;
  // OOM first: a crash loop caused by OOM is reported as OOM, the cause the user can act on.
  if (!cs.ready && (terminated?.reason === "OOMKilled" || last?.reason === "OOMKilled")) {
    return {
      pod,
      reason: Reason.ContainerOOMKilled,
      message: `${where} was OOM-killed (exit ${(terminated ?? last)?.exitCode ?? 137}, ${cs.restartCount} restarts): the model needs more memory than the node gives it`,
    };
  }
  if (waiting?.reason && IMAGE_PULL_REASONS.has(waiting.reason))
    return {
      pod,
      reason: Reason.ImagePullError,
      message: `${where}: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""}`,
    };
  if (waiting?.reason === "CrashLoopBackOff")
    return {
      pod,
      reason: Reason.ContainerCrashLoopBackOff,
      message: `${where} is crash-looping (${cs.restartCount} restarts${last?.exitCode !== undefined ? `, last exit ${last.exitCode}` : ""})`,
    };
  const startReason = [waiting?.reason, terminated?.reason].find((r) => r && START_ERROR_REASONS.has(r));
  if (startReason)
    return {
      pod,
      reason: Reason.ContainerStartError,
      message: `${where}: ${startReason}: ${waiting?.message ?? terminated?.message ?? ""}`.trim(),
    };
  return undefined;
}

/**
 * Why a workload pod cannot serve, in the reasons docs/kaito-api.md §3 lists. A pod with any
 * of these is never counted as ready, whatever its Ready condition says, because upstream's
 * "InferenceReady while OOM-killed" is exactly the lie users complain about.
 */
export function classifyPodFailure(pod: V1Pod): PodFailure | undefined {
  const name = pod.metadata?.name ?? "";
  if (pod.status?.reason === "Evicted")
    return {
      pod: name,
      reason: Reason.PodEvicted,
      message: truncateMessage(`pod ${name} was evicted: ${pod.status.message ?? ""}`.trim()),
    };
  for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const failure = classifyContainer(name, cs);
    if (failure) return { ...failure, message: truncateMessage(failure.message) };
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
  if (scheduled?.status === "False" && scheduled.reason === "Unschedulable")
    return {
      pod: name,
      reason: Reason.Unschedulable,
      message: truncateMessage(`pod ${name} cannot be scheduled: ${scheduled.message ?? ""}`.trim()),
    };
  return undefined;
}
