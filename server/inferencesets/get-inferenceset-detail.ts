import "server-only";

import { LABEL_CREATED_BY_INFERENCESET } from "@/lib/kaito/inferenceset";
import { getKubeClient } from "@/server/kube/get-kube-client";
import { isNotFound, type KubeIdentity } from "@/server/kube/kube-client";
import { workspacesPath } from "@/server/kube/kube-paths";
import { mapKubeError } from "@/server/kube/map-kube-error";
import type { InferenceSet } from "@/server/kube/types/inferenceset";
import type { Workspace } from "@/server/kube/types/workspace";

import type { ConditionView } from "../workspaces/workspace-detail-types";
import { summarizeWorkspace, type WorkspaceRow } from "../workspaces/summarize-workspace";
import { inferenceSetPath } from "./inferenceset-paths";
import { summarizeInferenceSet, type InferenceSetRow } from "./summarize-inferenceset";

export type InferenceSetDetail = {
  set: InferenceSetRow;
  resourceVersion: string;
  conditions: ConditionView[];
  /** The child Workspaces, oldest first, each with its own state (the list's row). */
  children: WorkspaceRow[];
};

/**
 * The set and its children, read as the person (their RBAC decides, and a set they may not read
 * is a refusal, not an empty page). Children are the Workspaces carrying the set's created-by
 * label that the set controls.
 */
export async function getInferenceSetDetail(
  namespace: string,
  name: string,
  as: KubeIdentity,
): Promise<InferenceSetDetail | null> {
  const client = await getKubeClient();
  let set: InferenceSet;
  try {
    set = await client.request<InferenceSet>({ method: "GET", path: inferenceSetPath(namespace, name), as });
  } catch (error) {
    if (isNotFound(error)) return null;
    throw mapKubeError(error, `read inferenceset ${namespace}/${name}`);
  }
  const list = await client
    .request<{ items: Workspace[] }>({
      method: "GET",
      path: workspacesPath(namespace),
      query: { labelSelector: `${LABEL_CREATED_BY_INFERENCESET}=${name}` },
      as,
    })
    .catch((error: unknown) => {
      throw mapKubeError(error, `list the workspaces of inferenceset ${namespace}/${name}`);
    });
  const children = list.items
    .filter((ws) => ws.metadata.ownerReferences?.some((r) => r.controller && r.uid === set.metadata.uid))
    .map(summarizeWorkspace)
    .sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? "") || a.name.localeCompare(b.name));
  return {
    set: summarizeInferenceSet(set),
    resourceVersion: set.metadata.resourceVersion ?? "",
    conditions: (set.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime,
    })),
    children,
  };
}
