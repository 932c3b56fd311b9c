import "server-only";

import { kubeClients } from "./kube-clients";
import { mapKubeError } from "./map-kube-error";
import { FIELD_MANAGER, KAITO_GROUP, WORKSPACE_PLURAL } from "@/lib/kaito/api";
import type { Workspace } from "@/server/kube/types/workspace";

/**
 * Creates a validated Workspace: first a server-side dry run, so the CRD's CEL rules and
 * admission run and a rejection leaves nothing behind, then the real create.
 */
export async function createWorkspace(ws: Workspace): Promise<Workspace> {
  const { custom } = kubeClients();
  const [, version] = ws.apiVersion.split("/");
  const request = {
    group: KAITO_GROUP,
    version,
    namespace: ws.metadata.namespace,
    plural: WORKSPACE_PLURAL,
    body: ws,
    fieldManager: FIELD_MANAGER,
    fieldValidation: "Strict",
  };
  const what = `create workspace ${ws.metadata.namespace}/${ws.metadata.name}`;
  try {
    await custom.createNamespacedCustomObject({ ...request, dryRun: "All" });
    return (await custom.createNamespacedCustomObject(request)) as Workspace;
  } catch (error) {
    throw mapKubeError(error, what);
  }
}
