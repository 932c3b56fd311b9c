import "server-only";

import { FIELD_MANAGER } from "@/lib/kaito/api";
import { getKubeClient } from "@/server/kube/get-kube-client";
import type { KubeIdentity } from "@/server/kube/kube-client";
import { workspacesPath } from "@/server/kube/kube-paths";
import { mapKubeError } from "@/server/kube/map-kube-error";
import type { AdapterSpec, Workspace } from "@/server/kube/types/workspace";

/**
 * Replaces `inference.adapters` — the only part of an inference Workspace the API lets change.
 * A merge patch replaces the whole list, which is what an editor of the full list means;
 * the resourceVersion guard refuses to overwrite someone else's concurrent edit.
 */
export async function updateWorkspaceAdapters(
  namespace: string,
  name: string,
  adapters: AdapterSpec[],
  resourceVersion: string,
  as: KubeIdentity,
): Promise<Workspace> {
  try {
    return await (
      await getKubeClient()
    ).request<Workspace>({
      method: "PATCH",
      path: workspacesPath(namespace, name),
      query: { fieldManager: FIELD_MANAGER, fieldValidation: "Strict" },
      contentType: "application/merge-patch+json",
      body: { metadata: { resourceVersion }, inference: { adapters } },
      as,
    });
  } catch (error) {
    throw mapKubeError(error, `update the adapters of ${namespace}/${name}`);
  }
}
