import "server-only";

import { KAITO_GROUP, WORKSPACE_PLURAL, WORKSPACE_VERSION } from "@/lib/kaito/api";
import type { Workspace } from "@/server/kube/types/workspace";

import { kubeClients } from "./kube-clients";
import { mapKubeError } from "./map-kube-error";

/** The Workspace as the API server has it now (not the watch cache): the base of an edit. */
export async function getWorkspace(namespace: string, name: string): Promise<Workspace | null> {
  try {
    return (await kubeClients().custom.getNamespacedCustomObject({
      group: KAITO_GROUP,
      version: WORKSPACE_VERSION,
      namespace,
      plural: WORKSPACE_PLURAL,
      name,
    })) as Workspace;
  } catch (error) {
    const mapped = mapKubeError(error, `read workspace ${namespace}/${name}`);
    if (mapped.code === "not_found") return null;
    throw mapped;
  }
}
