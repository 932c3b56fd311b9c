import "server-only";

import { FIELD_MANAGER } from "@/lib/kaito/api";
import { getKubeClient } from "@/server/kube/get-kube-client";
import type { KubeIdentity } from "@/server/kube/kube-client";
import { mapKubeError } from "@/server/kube/map-kube-error";
import type { InferenceSet } from "@/server/kube/types/inferenceset";

import { inferenceSetsPath } from "./inferenceset-paths";

/**
 * Creates a validated InferenceSet as the person asking, as a Workspace create does: a
 * server-side dry run first (the CRD's rules, RBAC and admission; a refusal leaves nothing
 * behind), then the real create.
 */
export async function createInferenceSet(set: InferenceSet, as: KubeIdentity): Promise<InferenceSet> {
  const client = await getKubeClient();
  const [, version] = set.apiVersion.split("/");
  const request = { method: "POST" as const, path: inferenceSetsPath(set.metadata.namespace, version), body: set, as };
  const query = { fieldManager: FIELD_MANAGER, fieldValidation: "Strict" };
  try {
    await client.request({ ...request, query: { ...query, dryRun: "All" } });
    return await client.request<InferenceSet>({ ...request, query });
  } catch (error) {
    // RBAC grants per namespace: a refusal belongs at the namespace field and its YAML line.
    throw mapKubeError(error, `create inferenceset ${set.metadata.namespace}/${set.metadata.name}`, {
      refusedAt: "metadata.namespace",
    });
  }
}
