import "server-only";

import type { V1Job, V1Pod, V1StatefulSet } from "@kubernetes/client-node";

import { ConditionType, Message, Reason, WorkspaceState } from "@/lib/kaito/conditions";
import type { Workspace, WorkspaceCondition, WorkspaceStatus } from "@/server/kube/types/workspace";

import { classifyPodFailure, truncateMessage, type PodFailure } from "./classify-pod-failure";
import type { ConditionVerdict, NodeEvaluation } from "./evaluate-nodes";
import type { BenchmarkOutcome } from "./read-benchmark-result";
import type { WorkspaceValidation } from "./validate-workspace";

export type StatusInput = {
  ws: Workspace;
  validation: WorkspaceValidation;
  nodes?: NodeEvaluation;
  statefulSet?: V1StatefulSet;
  job?: V1Job;
  pods: V1Pod[];
  /** The workload's pods cannot be created: the FailedCreate message (admission's refusal). */
  failedCreate?: string;
  /** An object the Workspace needs belongs to someone else (the message names it). */
  conflict?: string;
  /** Set while the finalizer waits; the reason says why it is taking long. */
  deleting?: ConditionVerdict;
  /** What reading the post-load benchmark gave, when it was due (read-benchmark-result.ts). */
  benchmark?: BenchmarkOutcome;
  now: string;
};

/** The order conditions appear in, so that equal statuses serialize equally. */
const CONDITION_ORDER: string[] = [
  ConditionType.NodeClaimReady,
  ConditionType.NodesReady,
  ConditionType.ResourceReady,
  ConditionType.InferenceReady,
  ConditionType.JobStarted,
  ConditionType.WorkspaceSucceeded,
  ConditionType.BenchmarkCompleted,
  ConditionType.WorkspaceReady,
  ConditionType.WorkspaceDeleting,
];

const verdict = (status: "True" | "False", reason: string, message: string): ConditionVerdict => ({
  status,
  reason,
  message,
});

function firstPodFailure(pods: V1Pod[]): PodFailure | undefined {
  return [...pods]
    .sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""))
    .map(classifyPodFailure)
    .find((f): f is PodFailure => !!f);
}

function inferenceVerdict(input: StatusInput, resource: ConditionVerdict): ConditionVerdict {
  const sts = input.statefulSet;
  if (resource.status !== "True")
    return verdict("False", Reason.InferencePending, `waiting for resources: ${resource.message}`);
  if (input.failedCreate) return verdict("False", Reason.FailedCreate, truncateMessage(input.failedCreate));
  const failure = firstPodFailure(input.pods);
  if (failure) return verdict("False", failure.reason, failure.message);
  if (!sts) return verdict("False", Reason.InferencePending, "the inference StatefulSet is not created yet");
  const want = sts.spec?.replicas ?? 1;
  const ready = sts.status?.readyReplicas ?? 0;
  const current = (sts.status?.observedGeneration ?? 0) >= (sts.metadata?.generation ?? 0);
  if (current && ready >= want && (sts.status?.updatedReplicas ?? want) >= want)
    return verdict("True", Reason.InferenceReady, Message.InferenceReady);
  const unscheduled = input.pods.find((p) =>
    p.status?.conditions?.some((c) => c.type === "PodScheduled" && c.status === "False"),
  );
  const detail = unscheduled ? `; pod ${unscheduled.metadata?.name} is not scheduled yet` : "";
  return verdict("False", Reason.InferencePending, `${ready}/${want} inference replicas are ready${detail}`);
}

function jobCondition(job: V1Job | undefined, type: "Complete" | "Failed"): boolean {
  return job?.status?.conditions?.some((c) => c.type === type && c.status === "True") ?? false;
}

const jobSucceeded = (job: V1Job | undefined) => jobCondition(job, "Complete") || (job?.status?.succeeded ?? 0) > 0;
// The Job's backoffLimit is 0, so one failed pod is the end of it (upstream's test too).
const jobFailed = (job: V1Job | undefined) => jobCondition(job, "Failed") || (job?.status?.failed ?? 0) > 0;

/** Upstream's test: the Job has a pod running, ready or done (a created Job alone has not started). */
function jobStarted(job: V1Job | undefined): boolean {
  const s = job?.status;
  return (s?.succeeded ?? 0) > 0 || (s?.ready ?? 0) > 0 || (s?.active ?? 0) > 0;
}

/**
 * status.state of a tuning Workspace, from its Job alone (docs/kaito-api.md §3): Failed, Succeeded,
 * Running, else Pending. Why a run cannot start (invalid, no capacity) is in the conditions.
 */
function tuningState(job: V1Job | undefined): WorkspaceState {
  if (jobFailed(job)) return WorkspaceState.Failed;
  if (jobSucceeded(job)) return WorkspaceState.Succeeded;
  return jobStarted(job) ? WorkspaceState.Running : WorkspaceState.Pending;
}

/**
 * status.state of an inference Workspace that is not ready: NotReady once it has been Ready (or
 * NotReady) before, Pending until then, whatever the cause — upstream's rule, which scripts
 * waiting on `status.state` rely on. The conditions carry the cause and the UI shows it.
 */
function inferenceNotReadyState(ws: Workspace): WorkspaceState {
  const established = ws.status?.state === WorkspaceState.Ready || ws.status?.state === WorkspaceState.NotReady;
  return established ? WorkspaceState.NotReady : WorkspaceState.Pending;
}

/**
 * The status the Workspace should carry given what the cluster shows (docs/kaito-api.md §3).
 * Pure: the reconciler patches the result only when it differs from what is stored.
 */
export function computeWorkspaceStatus(input: StatusInput): WorkspaceStatus {
  const { ws } = input;
  const tuning = !!ws.tuning;
  const verdicts = new Map<string, ConditionVerdict>();
  let state: WorkspaceState;
  let performance = ws.status?.performance;

  if (input.validation.errors.length) {
    // Nothing was created: say so on the columns `kubectl get wk` prints.
    const message = truncateMessage(input.validation.errors.map((e) => e.message).join("; "));
    const invalid = verdict("False", Reason.ValidationFailed, message);
    verdicts.set(ConditionType.ResourceReady, invalid);
    verdicts.set(ConditionType.WorkspaceSucceeded, invalid);
    state = tuning ? tuningState(input.job) : inferenceNotReadyState(ws);
  } else {
    const nodes = input.nodes;
    const resource = input.conflict
      ? verdict("False", Reason.ResourceConflict, truncateMessage(input.conflict))
      : (nodes?.resourceReady ?? verdict("False", Reason.NodeClaimNotReady, Message.NodeClaimNotReady));
    if (nodes) {
      verdicts.set(ConditionType.NodeClaimReady, nodes.nodeClaimReady);
      verdicts.set(ConditionType.NodesReady, nodes.nodesReady);
    }
    verdicts.set(ConditionType.ResourceReady, resource);
    const resourceFailed = !!nodes?.terminalFailure;

    if (tuning) {
      const started = jobStarted(input.job);
      verdicts.set(
        ConditionType.JobStarted,
        started
          ? verdict("True", Reason.JobStarted, Message.JobStarted)
          : verdict("False", Reason.JobPending, Message.JobPending),
      );
      const podFailure: Pick<PodFailure, "reason" | "message"> | undefined = input.failedCreate
        ? { reason: Reason.FailedCreate, message: truncateMessage(input.failedCreate) }
        : firstPodFailure(input.pods);
      if (jobSucceeded(input.job)) {
        verdicts.set(
          ConditionType.WorkspaceSucceeded,
          verdict("True", Reason.WorkspaceSucceeded, Message.WorkspaceSucceeded),
        );
      } else if (jobFailed(input.job) || resourceFailed) {
        const message = resourceFailed ? resource.message : (podFailure?.message ?? Message.WorkspaceFailed);
        verdicts.set(ConditionType.WorkspaceSucceeded, verdict("False", Reason.WorkspaceFailed, message));
      } else {
        verdicts.set(
          ConditionType.WorkspaceSucceeded,
          podFailure
            ? verdict("False", podFailure.reason, podFailure.message)
            : verdict("False", Reason.WorkspacePending, started ? Message.JobStarted : resource.message),
        );
      }
      // The conditions say why; the state is the Job's alone, as upstream derives it, so a
      // tuning run that never got its node stays Pending (the list's badge still says Failed).
      state = tuningState(input.job);
    } else {
      const inference = inferenceVerdict(input, resource);
      verdicts.set(ConditionType.InferenceReady, inference);
      const benchmark = input.benchmark;
      if (inference.status === "True" && benchmark && "error" in benchmark) {
        // Upstream: serving, but the benchmark result could not be read — not Ready, and it says why.
        const failed = verdict("False", Reason.BenchmarkFailed, truncateMessage(benchmark.error));
        verdicts.set(ConditionType.BenchmarkCompleted, failed);
        verdicts.set(ConditionType.WorkspaceSucceeded, failed);
        state = WorkspaceState.NotReady;
      } else if (inference.status === "True") {
        if (benchmark && "performance" in benchmark) {
          performance = benchmark.performance;
          verdicts.set(
            ConditionType.BenchmarkCompleted,
            verdict("True", Reason.BenchmarkCompleted, Message.BenchmarkCompleted),
          );
        }
        verdicts.set(
          ConditionType.WorkspaceSucceeded,
          verdict("True", Reason.WorkspaceSucceeded, Message.WorkspaceSucceeded),
        );
        state = WorkspaceState.Ready;
      } else {
        const blocking = resource.status === "True" ? inference : resource;
        verdicts.set(ConditionType.WorkspaceSucceeded, verdict("False", Reason.WorkspacePending, blocking.message));
        state = inferenceNotReadyState(ws);
      }
    }
  }
  // BenchmarkCompleted is written once and kept, as upstream keeps it, until the next result.
  const recorded = ws.status?.conditions?.find((c) => c.type === ConditionType.BenchmarkCompleted);
  if (recorded && !verdicts.has(ConditionType.BenchmarkCompleted))
    verdicts.set(
      ConditionType.BenchmarkCompleted,
      verdict(recorded.status as "True" | "False", recorded.reason, recorded.message),
    );
  verdicts.set(ConditionType.WorkspaceReady, verdicts.get(ConditionType.WorkspaceSucceeded)!);
  if (ws.metadata.deletionTimestamp)
    verdicts.set(
      ConditionType.WorkspaceDeleting,
      input.deleting ?? verdict("True", Reason.WorkspaceDeleted, Message.WorkspaceDeleting),
    );

  return {
    ...ws.status,
    conditions: mergeConditions(ws.status?.conditions ?? [], verdicts, ws.metadata.generation, input.now),
    state,
    workerNodes: input.nodes?.workerNodes ?? ws.status?.workerNodes ?? [],
    targetNodeCount: input.nodes?.target ?? Math.max(1, ws.resource?.count ?? 1),
    ...(performance ? { performance } : {}),
    // No top-level observedGeneration: Kaito's CRD has none, so the apiserver prunes it and a
    // status carrying it never equals the stored one (every reconcile rewrote the status). Each
    // condition's observedGeneration says which generation was seen.
  };
}

/**
 * metav1.Condition semantics: lastTransitionTime moves only when status flips. Conditions the
 * controller does not own (set by someone else) are kept, after ours.
 */
export function mergeConditions(
  existing: WorkspaceCondition[],
  verdicts: Map<string, ConditionVerdict>,
  generation: number | undefined,
  now: string,
): WorkspaceCondition[] {
  const previous = new Map(existing.map((c) => [c.type, c]));
  const ours: WorkspaceCondition[] = [];
  for (const type of CONDITION_ORDER) {
    const v = verdicts.get(type);
    if (!v) continue;
    const before = previous.get(type);
    ours.push({
      type,
      status: v.status,
      reason: v.reason,
      message: v.message,
      lastTransitionTime: before && before.status === v.status ? before.lastTransitionTime : now,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
    });
  }
  const foreign = existing.filter((c) => !CONDITION_ORDER.includes(c.type));
  return [...ours, ...foreign];
}

/** Status equality that ignores key order, so an unchanged status is never written. */
export function sameStatus(a: WorkspaceStatus | undefined, b: WorkspaceStatus): boolean {
  return canonical(a ?? {}) === canonical(b);
}

export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)))
      : v,
  );
}
