import "server-only";

import { ConditionType, KARPENTER_UNAVAILABLE_MESSAGE, Reason } from "@/lib/kaito/conditions";
import type { Workspace } from "@/server/kube/types/workspace";

import { upstreamReconcileError } from "./upstream-reconcile-error";
import type { Diagnosis, EventView, NodeClaimView, PodView, TimelinePhase } from "./workspace-detail-types";

const IMAGE_PULL_REASONS = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]);

function provisioningCause(text: string): Diagnosis["cause"] | null {
  if (/quota/i.test(text)) return "quota";
  if (/unavailable|insufficient ?capacity|capacity|no instance/i.test(text)) return "no-capacity";
  return null;
}

type Cause = Pick<Diagnosis, "cause" | "title">;

/**
 * The scheduler's message without its tail: "preemption: …" only repeats that evicting other
 * pods would not help, and when a pre-filter (volumes) refused the pod the scheduler appends the
 * preemption step's bare "not found", which reads as if something named were missing.
 */
export function schedulerSummary(message: string): string {
  return message
    .replace(/\s*preemption:.*$/is, "")
    .replace(/\.\s*not found\.?$/i, ".")
    .trim();
}

/**
 * What an Unschedulable pod is waiting for, from the scheduler's message. Storage first: a pod
 * whose PersistentVolumeClaim is missing or unbound is reported as unschedulable too, and
 * blaming GPUs, taints or affinity sends the user to the wrong place.
 */
export function classifyScheduling(message: string): Cause {
  const missing = /persistentvolumeclaim "([^"]+)" not found/i.exec(message);
  if (missing) return { cause: "storage", title: `The PersistentVolumeClaim "${missing[1]}" does not exist` };
  const noClass = /storageclass(?:\.storage\.k8s\.io)? "([^"]+)" not found/i.exec(message);
  if (noClass)
    return {
      cause: "storage",
      title: `The StorageClass "${noClass[1]}" of the pod's PersistentVolumeClaim does not exist`,
    };
  if (/unbound (immediate )?PersistentVolumeClaims?/i.test(message))
    return { cause: "storage", title: "A PersistentVolumeClaim of the pod is not bound to a volume" };
  if (/volume node affinity conflict|node\(s\) had volume node affinity/i.test(message))
    return { cause: "storage", title: "The pod's volume lives in a zone none of the GPU nodes is in" };
  if (/no nodes available to schedule pods/i.test(message))
    return { cause: "unschedulable", title: "The cluster has no node to schedule the pod on" };
  return { cause: "unschedulable", title: "No GPU node can take the pod" };
}

/**
 * A workload controller's FailedCreate: the pod was never created, so no pod condition tells
 * why. Quota and admission refusals are the usual causes.
 */
export function classifyCreateRefusal(message: string): Cause | null {
  if (/exceeded quota|status unknown for quota/i.test(message))
    return { cause: "quota", title: "The namespace's ResourceQuota does not allow the pod" };
  if (/admission webhook .* denied|violates PodSecurity|is forbidden/i.test(message))
    return { cause: "admission", title: "An admission check refused the pod" };
  return null;
}

/**
 * The same event reported again and again (a pod that cannot be scheduled gets one every few
 * seconds) as one line with the total count and the latest time, newest first.
 */
export function collapseEvents(events: EventView[]): EventView[] {
  const byKey = new Map<string, EventView>();
  for (const e of events) {
    const key = [e.type, e.reason, e.object, e.message].join("\u0000");
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...e });
    else {
      seen.count += e.count;
      if ((e.lastSeen ?? "") > (seen.lastSeen ?? "")) seen.lastSeen = e.lastSeen;
    }
  }
  return [...byKey.values()].sort((a, b) => (b.lastSeen ?? "").localeCompare(a.lastSeen ?? ""));
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
  events: EventView[] = [],
): Diagnosis | null {
  const conditions = ws.status?.conditions ?? [];
  if (ws.metadata.deletionTimestamp) {
    const deleting = conditions.find((c) => c.type === ConditionType.WorkspaceDeleting);
    return {
      step: "Deletion",
      cause: "deleting",
      title: "The workspace is being deleted",
      detail: deleting?.message ?? "Waiting for its NodeClaims to be removed before the finalizer is released.",
      terminal: false,
      since: null,
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
      terminal: true,
      since: gpuMemory.lastTransitionTime ?? null,
    };
  const invalid = conditions.find((c) => c.status === "False" && c.reason === Reason.ValidationFailed);
  if (invalid)
    return {
      step: "Validation",
      cause: "validation",
      title: "The workspace failed validation: nothing was created",
      detail: invalid.message ?? "",
      terminal: true,
      since: invalid.lastTransitionTime ?? null,
    };

  const controllerError = upstreamReconcileError(conditions);
  if (controllerError)
    return {
      step: "Controller",
      cause: "controller-error",
      title: "Kaito's controller fails on this workspace at every reconcile",
      detail: controllerError.error,
      terminal: false,
      since: controllerError.condition.lastTransitionTime ?? null,
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
          terminal: (c.message ?? "").includes(KARPENTER_UNAVAILABLE_MESSAGE),
          since: c.lastTransitionTime ?? null,
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
      terminal: (resource.message ?? "").includes(KARPENTER_UNAVAILABLE_MESSAGE),
      since: resource.lastTransitionTime ?? null,
    };

  // A pod that was never created leaves only its workload's FailedCreate event behind; the
  // controller copies it into a condition, which outlives the event.
  const failedCreate = conditions.find((c) => c.status === "False" && c.reason === Reason.FailedCreate);
  if (failedCreate && pods.length === 0)
    return {
      step: "Scheduling",
      ...(classifyCreateRefusal(failedCreate.message ?? "") ?? {
        cause: "admission",
        title: "The pod could not be created",
      }),
      detail: failedCreate.message ?? "",
      terminal: false,
      since: failedCreate.lastTransitionTime ?? null,
    };
  const refused = events
    .filter((e) => e.type === "Warning" && e.reason === "FailedCreate")
    .map((e) => ({ event: e, cause: classifyCreateRefusal(e.message) }))
    .find((r) => r.cause);
  if (refused && pods.length === 0)
    return {
      step: "Scheduling",
      ...refused.cause!,
      detail: `${refused.event.object}: ${refused.event.message}`,
      terminal: false,
      since: refused.event.lastSeen,
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
          terminal: false,
          since: null,
        };
      if (container.stateReason === "CrashLoopBackOff")
        return {
          step: "Model load",
          cause: "crash-loop",
          title: "The model server keeps crashing",
          detail: `${label} restarted ${container.restarts} times; last exit ${container.lastTerminationReason ?? "unknown"}${
            container.lastTerminationExitCode !== null ? ` (code ${container.lastTerminationExitCode})` : ""
          }.`,
          terminal: false,
          since: null,
        };
      if (container.stateReason && IMAGE_PULL_REASONS.has(container.stateReason))
        return {
          step: "Image pull",
          cause: "image-pull",
          title: "The container image cannot be pulled",
          detail: `${label}: ${container.stateReason}${container.stateMessage ? ` — ${container.stateMessage}` : ""}`,
          terminal: false,
          since: null,
        };
    }
    const unscheduled = pod.conditions.find((c) => c.type === "PodScheduled" && c.status === "False");
    if (unscheduled) {
      const message = schedulerSummary(unscheduled.message ?? unscheduled.reason ?? "unschedulable");
      return {
        step: "Scheduling",
        ...classifyScheduling(message),
        detail: `Pod ${pod.name}: ${message}`,
        terminal: false,
        since: unscheduled.lastTransitionTime ?? null,
      };
    }
  }

  const inference = conditions.find((c) => c.type === ConditionType.InferenceReady && c.status === "False");
  const byReason: Record<string, Diagnosis["cause"]> = {
    [Reason.ContainerOOMKilled]: "oom",
    [Reason.ContainerCrashLoopBackOff]: "crash-loop",
    [Reason.ImagePullError]: "image-pull",
    [Reason.Unschedulable]: "unschedulable",
  };
  if (inference?.reason && byReason[inference.reason]) {
    const scheduling = inference.reason === Reason.Unschedulable ? classifyScheduling(inference.message ?? "") : null;
    return {
      step: scheduling ? "Scheduling" : "Model load",
      cause: scheduling?.cause ?? byReason[inference.reason],
      title: scheduling?.title ?? inference.reason,
      detail: schedulerSummary(inference.message ?? ""),
      terminal: false,
      since: inference.lastTransitionTime ?? null,
    };
  }

  const failedCondition = conditions.find(
    (c) => c.status === "False" && c.reason && /Invalid|Unsupported|Failed/i.test(c.reason),
  );
  if (failedCondition)
    return {
      step: failedCondition.reason === Reason.WorkspaceFailed ? "Tuning job" : "Validation",
      cause: failedCondition.reason === Reason.WorkspaceFailed ? "failed" : "validation",
      title: failedCondition.reason!,
      detail: failedCondition.message ?? "",
      terminal: true,
      since: failedCondition.lastTransitionTime ?? null,
    };

  const running = timeline.find((p) => p.status === "running");
  return {
    step: running?.label ?? "Waiting for NodeClaim",
    cause: "waiting",
    title: running ? `In progress: ${running.label}` : "Waiting for the controller to act",
    detail: running
      ? `Nothing has failed; the workspace is waiting for “${running.label}” to finish.`
      : "No NodeClaim or pod exists yet. Is the controller (worker) running?",
    terminal: false,
    since: null,
  };
}

/**
 * Ends the timeline where a terminal failure stopped it: the bar in progress is marked failed
 * and closed at the failure's time, so it stops growing with the clock. A non-terminal failure
 * marks its step's bar failed and leaves it open, since it may still recover.
 */
export function stopTimelineAtFailure(timeline: TimelinePhase[], diagnosis: Diagnosis | null): TimelinePhase[] {
  if (!diagnosis || diagnosis.cause === "waiting" || diagnosis.cause === "deleting") return timeline;
  return timeline.map((phase) => {
    if (phase.end !== null && phase.status !== "failed") return phase;
    const blocked = phase.label === diagnosis.step || diagnosis.terminal;
    if (!blocked) return phase;
    const end = diagnosis.terminal ? (phase.end ?? maxTime(phase.start, diagnosis.since)) : phase.end;
    return { ...phase, status: "failed", end, detail: phase.detail ?? diagnosis.title };
  });
}

function maxTime(start: string, since: string | null): string {
  return since && since > start ? since : start;
}
