import "server-only";

import type { V1Node } from "@kubernetes/client-node";

import { userMatchLabels } from "@/lib/kaito/labels";
import { getKubeClient } from "@/server/kube/get-kube-client";
import { nodePath } from "@/server/kube/kube-paths";
import { mapKubeError } from "@/server/kube/map-kube-error";

export type NodeChoice = {
  name: string;
  instanceType: string;
  gpus: number;
  ready: boolean;
  gpuProduct: string | null;
};

/**
 * Nodes an existing-node workspace could use: those carrying every label of the selector (Kaito's
 * reserved keys ignored, as the controller ignores them), optionally of one instance type.
 * Upstream matches preferredNodes the same way. Read with the web's ServiceAccount: Nodes are
 * cluster-scoped, so a team bound to its namespace could not list them, yet it needs to see
 * which GPU nodes its Workspace can land on.
 */
export async function listMatchingNodes(
  matchLabels: Record<string, string>,
  instanceType?: string,
): Promise<NodeChoice[]> {
  const labels = {
    ...userMatchLabels({ matchLabels }),
    ...(instanceType ? { "node.kubernetes.io/instance-type": instanceType } : {}),
  };
  const labelSelector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  try {
    const list = await (
      await getKubeClient()
    ).request<{ items: V1Node[] }>({
      method: "GET",
      path: nodePath(),
      query: { labelSelector: labelSelector || undefined, limit: 200 },
    });
    return list.items.map((node) => ({
      name: node.metadata!.name!,
      instanceType: node.metadata?.labels?.["node.kubernetes.io/instance-type"] ?? "",
      gpus: Number(node.status?.capacity?.["nvidia.com/gpu"] ?? 0),
      ready: node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
      gpuProduct: node.metadata?.labels?.["nvidia.com/gpu.product"] ?? null,
    }));
  } catch (error) {
    throw mapKubeError(error, "list nodes");
  }
}
