import type { ReadyWorkspace } from "./use-inference-targets";

/** Something a playground column can chat with: a ready Workspace, or an InferenceSet with ready replicas. */
export type ChatTargetOption = {
  kind: "Workspace" | "InferenceSet";
  namespace: string;
  name: string;
  preset: string | null;
  /** For a set: its children the proxy would send a chat to now. */
  readyReplicas: number;
};

export const targetKey = (t: { namespace: string; name: string }) => `${t.namespace}/${t.name}`;

/**
 * The playground's choices: every ready Workspace, and every InferenceSet with at least one ready
 * replica, counted from the same ready list the proxy routes by (docs/inferencesets.md). A set
 * whose name a Workspace in its namespace also has is left out: the proxy answers such a name
 * as the Workspace, so offering the set would be a lie.
 */
export function chatTargets(ready: ReadyWorkspace[]): ChatTargetOption[] {
  const workspaces: ChatTargetOption[] = ready.map((ws) => ({
    kind: "Workspace",
    namespace: ws.namespace,
    name: ws.name,
    preset: ws.preset,
    readyReplicas: 1,
  }));
  const taken = new Set(workspaces.map(targetKey));
  const sets = new Map<string, ChatTargetOption>();
  for (const ws of ready) {
    if (!ws.inferenceSet) continue;
    const key = targetKey({ namespace: ws.namespace, name: ws.inferenceSet });
    if (taken.has(key)) continue;
    const set = sets.get(key);
    if (set) set.readyReplicas++;
    else
      sets.set(key, {
        kind: "InferenceSet",
        namespace: ws.namespace,
        name: ws.inferenceSet,
        preset: ws.preset,
        readyReplicas: 1,
      });
  }
  return [...[...sets.values()].sort((a, b) => targetKey(a).localeCompare(targetKey(b))), ...workspaces];
}

/** How a target reads in the picker: a set says that it is one, and how many replicas serve it. */
export function targetLabel(target: ChatTargetOption): string {
  if (target.kind === "Workspace") return targetKey(target);
  const replicas = `${target.readyReplicas} ready replica${target.readyReplicas === 1 ? "" : "s"}`;
  return `${targetKey(target)} (set, ${replicas})`;
}
