import "server-only";

import { KAITO_GROUP, WORKSPACE_PLURAL, WORKSPACE_VERSION } from "@/lib/kaito/api";

import { kubeClients } from "./kube-clients";
import { mapKubeError } from "./map-kube-error";

/** Starts deletion; the controller's finalizer removes the NodeClaims before the object goes. */
export async function deleteWorkspace(namespace: string, name: string): Promise<void> {
  try {
    await kubeClients().custom.deleteNamespacedCustomObject({
      group: KAITO_GROUP,
      version: WORKSPACE_VERSION,
      namespace,
      plural: WORKSPACE_PLURAL,
      name,
    });
  } catch (error) {
    throw mapKubeError(error, `delete workspace ${namespace}/${name}`);
  }
}
