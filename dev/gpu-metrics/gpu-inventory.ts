import { createHash } from "node:crypto";

import type { V1Node, V1Pod } from "@kubernetes/client-node";

import { LABEL_GPU_MEMORY, LABEL_GPU_PRODUCT, LABEL_WORKSPACE, RESOURCE_GPU } from "@/lib/kaito/labels";

/** Who holds a GPU, as dcgm-exporter learns it from the kubelet's pod-resources API. */
export type GpuHolder = { namespace: string; pod: string; container: string; workspace?: string };

export type SimulatedGpu = {
  node: string;
  index: number;
  uuid: string;
  /** dcgm's modelName, e.g. "NVIDIA A100-SXM4-80GB". */
  modelName: string;
  product: string;
  memoryMiB: number;
  holder?: GpuHolder;
};

/**
 * Every GPU of every GPU node, each given to at most one container of a pod bound to that node,
 * in the order the pods were created (the device plugin hands out whole devices). Unallocated
 * GPUs are listed too: dcgm-exporter reports every device of its node.
 */
export function gpuInventory(nodes: readonly V1Node[], pods: readonly V1Pod[]): SimulatedGpu[] {
  const gpus: SimulatedGpu[] = [];
  const byNode = new Map<string, SimulatedGpu[]>();
  for (const node of [...nodes].sort((a, b) => name(a).localeCompare(name(b)))) {
    const count = Number(node.status?.capacity?.[RESOURCE_GPU] ?? 0);
    if (!Number.isInteger(count) || count <= 0) continue;
    const product = node.metadata?.labels?.[LABEL_GPU_PRODUCT] ?? "NVIDIA-GPU";
    const memoryMiB = Number(node.metadata?.labels?.[LABEL_GPU_MEMORY] ?? 0);
    const own: SimulatedGpu[] = [];
    for (let index = 0; index < count; index++)
      own.push({
        node: name(node),
        index,
        uuid: gpuUuid(name(node), index),
        // GFD's product label is NVML's name with dashes for spaces; the brand's dash is the first.
        modelName: product.replace("-", " "),
        product,
        memoryMiB,
      });
    byNode.set(name(node), own);
    gpus.push(...own);
  }

  const holders = pods
    .filter(
      (p) =>
        p.spec?.nodeName && byNode.has(p.spec.nodeName) && !["Succeeded", "Failed"].includes(p.status?.phase ?? ""),
    )
    .sort(
      (a, b) =>
        String(a.metadata?.creationTimestamp ?? "").localeCompare(String(b.metadata?.creationTimestamp ?? "")) ||
        name(a).localeCompare(name(b)),
    );
  for (const pod of holders) {
    const free = byNode.get(pod.spec!.nodeName!)!.filter((g) => !g.holder);
    for (const container of pod.spec?.containers ?? []) {
      const wanted = Number(
        container.resources?.limits?.[RESOURCE_GPU] ?? container.resources?.requests?.[RESOURCE_GPU] ?? 0,
      );
      for (const gpu of free.splice(0, Number.isInteger(wanted) ? wanted : 0))
        gpu.holder = {
          namespace: pod.metadata?.namespace ?? "default",
          pod: name(pod),
          container: container.name,
          workspace: pod.metadata?.labels?.[LABEL_WORKSPACE],
        };
    }
  }
  return gpus;
}

function name(o: { metadata?: { name?: string } }): string {
  return o.metadata?.name ?? "";
}

/** A stable, UUID-shaped id per (node, index), like the GPU-… UUIDs NVML reports. */
function gpuUuid(node: string, index: number): string {
  const h = createHash("sha256").update(`${node}/${index}`).digest("hex");
  return `GPU-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
