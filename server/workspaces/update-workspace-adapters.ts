import "server-only";

import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";

import { kubeClients } from "./kube-clients";
import { mapKubeError } from "./map-kube-error";
import { FIELD_MANAGER, KAITO_GROUP, WORKSPACE_PLURAL, WORKSPACE_VERSION } from "@/lib/kaito/api";
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
): Promise<Workspace> {
  try {
    return (await kubeClients().custom.patchNamespacedCustomObject(
      {
        group: KAITO_GROUP,
        version: WORKSPACE_VERSION,
        namespace,
        plural: WORKSPACE_PLURAL,
        name,
        body: { metadata: { resourceVersion }, inference: { adapters } },
        fieldManager: FIELD_MANAGER,
        fieldValidation: "Strict",
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    )) as Workspace;
  } catch (error) {
    throw mapKubeError(error, `update the adapters of ${namespace}/${name}`);
  }
}
