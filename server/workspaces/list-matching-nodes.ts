import "server-only";

import { kubeClients } from "./kube-clients";
import { mapKubeError } from "./map-kube-error";

export type NodeChoice = {
  name: string;
  instanceType: string;
  gpus: number;
  ready: boolean;
  gpuProduct: string | null;
};

/**
 * Nodes an existing-node workspace could use: those carrying every label of the selector,
 * optionally of one instance type. Upstream matches preferredNodes the same way.
 */
export async function listMatchingNodes(
  matchLabels: Record<string, string>,
  instanceType?: string,
): Promise<NodeChoice[]> {
  const labels = { ...matchLabels, ...(instanceType ? { "node.kubernetes.io/instance-type": instanceType } : {}) };
  const labelSelector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  try {
    const list = await kubeClients().core.listNode({ labelSelector: labelSelector || undefined, limit: 200 });
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
