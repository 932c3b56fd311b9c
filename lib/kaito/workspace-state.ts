import { ConditionType, WorkspaceState } from "./conditions";

type StateSource = {
  metadata: { deletionTimestamp?: string | Date };
  tuning?: unknown;
  status?: { state?: string; conditions?: { type: string; status: string; reason?: string }[] };
};

/**
 * The one word the list and the detail page show. `status.state` is upstream's when present; a
 * Workspace without it (a writer older than v1beta1's state, or an installed Kaito CRD whose
 * schema lacks the field, so the apiserver prunes it) gets the word from its conditions.
 */
export function workspaceState(ws: StateSource): string {
  if (ws.metadata.deletionTimestamp) return "Deleting";
  if (ws.status?.state) return ws.status.state;
  const conditions = ws.status?.conditions ?? [];
  if (conditions.find((c) => c.type === ConditionType.WorkspaceSucceeded)?.status === "True")
    return ws.tuning ? WorkspaceState.Succeeded : WorkspaceState.Ready;
  if (conditions.some((c) => c.status === "False" && c.reason && /Fail|Error|OOM|BackOff/i.test(c.reason)))
    return ws.tuning ? WorkspaceState.Failed : WorkspaceState.NotReady;
  return WorkspaceState.Pending;
}
