import "server-only";

import { ConditionType, WorkspaceState } from "@/lib/kaito/conditions";
import { findSku } from "@/lib/kaito/gpu-skus";
import type { Workspace } from "@/server/kube/types/workspace";

import { isoTime } from "./iso-time";
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
  model: string;
  mode: "inference" | "tuning";
  gpus: number | null;
  createdAt: string | null;
  deleting: boolean;
  resourceVersion: string;
};

export function workspaceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function conditionStatus(conditions: Condition[] | undefined, type: string): string {
  return conditions?.find((c) => c.type === type)?.status ?? "";
}

/** Upstream only sets `status.state` on v1beta1; older writers leave it empty, so derive it from the conditions. */
function deriveState(ws: Workspace): string {
  if (ws.metadata.deletionTimestamp) return "Deleting";
  if (ws.status?.state) return ws.status.state;
  const succeeded = conditionStatus(ws.status?.conditions, ConditionType.WorkspaceSucceeded);
  if (succeeded === "True") return ws.tuning ? WorkspaceState.Succeeded : WorkspaceState.Ready;
  if (ws.status?.conditions?.some((c) => c.status === "False" && c.reason && /Fail|Error|OOM|BackOff/i.test(c.reason)))
    return ws.tuning ? WorkspaceState.Failed : WorkspaceState.NotReady;
  return WorkspaceState.Pending;
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
    state: deriveState(ws),
    model: ws.inference?.preset?.name ?? ws.tuning?.preset?.name ?? (ws.inference?.template ? "custom template" : ""),
    mode: ws.tuning ? "tuning" : "inference",
    gpus: sku ? sku.gpuCount * nodes : null,
    createdAt: isoTime(ws.metadata.creationTimestamp),
    deleting: Boolean(ws.metadata.deletionTimestamp),
    resourceVersion: ws.metadata.resourceVersion ?? "",
  };
}
