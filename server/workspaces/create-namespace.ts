import "server-only";

import { FIELD_MANAGER } from "@/lib/kaito/api";
import { getKubeClient } from "@/server/kube/get-kube-client";
import { isAlreadyExists, type KubeIdentity } from "@/server/kube/kube-client";
import { mapKubeError } from "@/server/kube/map-kube-error";

/**
 * Creates an empty namespace for Workspaces as the person asking, so Kubernetes decides whether
 * they may; one that already exists is not an error.
 */
export async function createNamespace(name: string, as: KubeIdentity): Promise<void> {
  try {
    await (
      await getKubeClient()
    ).request({
      method: "POST",
      path: "/api/v1/namespaces",
      query: { fieldManager: FIELD_MANAGER },
      body: { apiVersion: "v1", kind: "Namespace", metadata: { name } },
      as,
    });
  } catch (error) {
    if (isAlreadyExists(error)) return;
    throw mapKubeError(error, `create namespace ${name}`, { refusedAt: "metadata.namespace" });
  }
}
