import "server-only";

import { ConditionType, KARPENTER_UNAVAILABLE_MESSAGE, Reason, WorkspaceState } from "@/lib/kaito/conditions";
import { findSku } from "@/lib/kaito/gpu-skus";
import { peakTokensPerMinute } from "@/lib/kaito/performance";
import { workspaceState } from "@/lib/kaito/workspace-state";
import type { Workspace } from "@/server/kube/types/workspace";

import { isoTime } from "./iso-time";
import { upstreamReconcileError } from "./upstream-reconcile-error";
import type { ConditionView as Condition } from "./workspace-detail-types";

/** One line of the workspace list: `kubectl get wk` columns plus what a user scans for. */
export type WorkspaceRow = {
  key: string;
  namespace: string;
  name: string;
  instanceType: string;
  resourceReady: string;
  inferenceReady: string;
  jobStarted: string;
  workspaceSucceeded: string;
  targetNodeCount: number | null;
  state: string;
  /** Set when `state` alone would hide that the Workspace failed or is stuck (#16). */
  problem: WorkspaceProblem | null;
  model: string;
  mode: "inference" | "tuning";
  gpus: number | null;
  createdAt: string | null;
  deleting: boolean;
  resourceVersion: string;
  /** status.performance's peakTokensPerMinute: the post-load benchmark's figure, when recorded. */
  peakTokensPerMinute: number | null;
};

/**
 * What the State column must not hide. `failed` will not recover without a change to the
 * Workspace (invalid spec, tuning job failed, no capacity); `stuck` is a classified pod or node
 * failure while status.state still reads Pending or Running — a tuning job whose pod cannot be
 * scheduled stays "Running" in Kaito's own state.
 */
export type WorkspaceProblem = {
  kind: "failed" | "stuck";
  /** The badge's word: Invalid, Failed or Stuck. */
  label: string;
  reason: string;
  message: string;
};

/** Reasons of a False condition that only mean "not there yet": Kaito's own pending reasons. */
const WAITING_REASONS = new Set<string>([
  Reason.NodeClaimNotReady,
  Reason.NodeNotReady,
  Reason.NodePluginsNotReady,
  Reason.InferencePending,
  Reason.JobPending,
  Reason.WorkspacePending,
]);
const TERMINAL_REASONS = new Set<string>([Reason.ValidationFailed, Reason.WorkspaceFailed]);
const MAX_PROBLEM_MESSAGE = 200;

export function workspaceProblem(ws: Workspace): WorkspaceProblem | null {
  if (ws.metadata.deletionTimestamp) return null;
  const state = workspaceState(ws);
  if (state === WorkspaceState.Ready || state === WorkspaceState.Succeeded) return null;
  const conditions = (ws.status?.conditions ?? []).filter(
    (c) => c.status === "False" && c.reason && c.type !== ConditionType.WorkspaceDeleting,
  );
  const message = (m: string | undefined) =>
    !m || m.length <= MAX_PROBLEM_MESSAGE ? (m ?? "") : `${m.slice(0, MAX_PROBLEM_MESSAGE - 1)}…`;
  const terminal =
    conditions.find((c) => TERMINAL_REASONS.has(c.reason)) ??
    conditions.find((c) => c.message?.includes(KARPENTER_UNAVAILABLE_MESSAGE));
  if (terminal)
    return {
      kind: "failed",
      label: terminal.reason === Reason.ValidationFailed ? "Invalid" : "Failed",
      reason: terminal.reason,
      message: message(terminal.message),
    };
  // Upstream Kaito reports a reconcile that keeps failing only inside its messages.
  const controllerError = upstreamReconcileError(ws.status?.conditions);
  if (controllerError)
    return {
      kind: "stuck",
      label: "Stuck",
      reason: controllerError.condition.reason || controllerError.condition.type,
      message: message(controllerError.error),
    };
  // The most specific condition first: a pod failure is reported on InferenceReady or
  // WorkspaceSucceeded, a node failure on NodeClaimReady and ResourceReady.
  const stuck = conditions.find((c) => !WAITING_REASONS.has(c.reason));
  if (stuck) return { kind: "stuck", label: "Stuck", reason: stuck.reason, message: message(stuck.message) };
  if (state === WorkspaceState.Failed)
    return { kind: "failed", label: "Failed", reason: Reason.WorkspaceFailed, message: "" };
  return null;
}

export function workspaceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function conditionStatus(conditions: Condition[] | undefined, type: string): string {
  return conditions?.find((c) => c.type === type)?.status ?? "";
}

export function summarizeWorkspace(ws: Workspace): WorkspaceRow {
  const conditions = ws.status?.conditions;
  const instanceType = ws.resource?.instanceType ?? "";
  const sku = findSku(instanceType);
  const nodes = ws.status?.targetNodeCount ?? ws.resource?.count ?? 1;
  return {
    key: workspaceKey(ws.metadata.namespace, ws.metadata.name),
    namespace: ws.metadata.namespace,
    name: ws.metadata.name,
    instanceType,
    resourceReady: conditionStatus(conditions, ConditionType.ResourceReady),
    inferenceReady: conditionStatus(conditions, ConditionType.InferenceReady),
    jobStarted: conditionStatus(conditions, ConditionType.JobStarted),
    workspaceSucceeded: conditionStatus(conditions, ConditionType.WorkspaceSucceeded),
    targetNodeCount: ws.status?.targetNodeCount ?? null,
    state: workspaceState(ws),
    problem: workspaceProblem(ws),
    model: ws.inference?.preset?.name ?? ws.tuning?.preset?.name ?? (ws.inference?.template ? "custom template" : ""),
    mode: ws.tuning ? "tuning" : "inference",
    gpus: sku ? sku.gpuCount * nodes : null,
    createdAt: isoTime(ws.metadata.creationTimestamp),
    deleting: Boolean(ws.metadata.deletionTimestamp),
    resourceVersion: ws.metadata.resourceVersion ?? "",
    peakTokensPerMinute: peakTokensPerMinute(ws.status?.performance) ?? null,
  };
}
