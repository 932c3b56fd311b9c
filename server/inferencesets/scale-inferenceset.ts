import "server-only";

import { getKubeClient } from "@/server/kube/get-kube-client";
import type { KubeIdentity } from "@/server/kube/kube-client";
import { mapKubeError } from "@/server/kube/map-kube-error";

import { inferenceSetPath } from "./inferenceset-paths";

/**
 * Sets `spec.replicas` through the scale subresource as the person, exactly what
 * `kubectl scale is/<name>` does: their RBAC (`inferencesets/scale`) decides, and an HPA or KEDA
 * owning the count will set it back on its next sync. Returns the previous count.
 */
export async function scaleInferenceSet(
  namespace: string,
  name: string,
  replicas: number,
  as: KubeIdentity,
): Promise<{ before: number; after: number }> {
  const client = await getKubeClient();
  const path = inferenceSetPath(namespace, name, "scale");
  try {
    const current = await client.request<{ spec?: { replicas?: number } }>({ method: "GET", path, as });
    const updated = await client.request<{ spec?: { replicas?: number } }>({
      method: "PATCH",
      path,
      body: { spec: { replicas } },
      contentType: "application/merge-patch+json",
      as,
    });
    return { before: current.spec?.replicas ?? 0, after: updated.spec?.replicas ?? replicas };
  } catch (error) {
    throw mapKubeError(error, `scale inferenceset ${namespace}/${name}`);
  }
}
