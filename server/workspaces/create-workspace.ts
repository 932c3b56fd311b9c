import "server-only";

import { FIELD_MANAGER } from "@/lib/kaito/api";
import { getKubeClient } from "@/server/kube/get-kube-client";
import type { KubeIdentity } from "@/server/kube/kube-client";
import { workspacesPath } from "@/server/kube/kube-paths";
import { mapKubeError } from "@/server/kube/map-kube-error";
import type { Workspace } from "@/server/kube/types/workspace";

/**
 * Creates a validated Workspace as the person asking: first a server-side dry run, so the CRD's
 * CEL rules, RBAC and admission run and a refusal leaves nothing behind, then the real create.
 */
export async function createWorkspace(ws: Workspace, as: KubeIdentity): Promise<Workspace> {
  const client = await getKubeClient();
  const [, version] = ws.apiVersion.split("/");
  const request = {
    method: "POST" as const,
    path: workspacesPath(ws.metadata.namespace, undefined, version),
    body: ws,
    as,
  };
  const query = { fieldManager: FIELD_MANAGER, fieldValidation: "Strict" };
  try {
    await client.request({ ...request, query: { ...query, dryRun: "All" } });
    return await client.request<Workspace>({ ...request, query });
  } catch (error) {
    // RBAC grants per namespace: a refusal belongs at the namespace field and its YAML line.
    throw mapKubeError(error, `create workspace ${ws.metadata.namespace}/${ws.metadata.name}`, {
      refusedAt: "metadata.namespace",
    });
  }
}
