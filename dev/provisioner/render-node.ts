import "server-only";

import type { V1Node } from "@kubernetes/client-node";

import { KAITO_NODEPOOL } from "@/lib/kaito/api";
import { gpuMemoryPerGpuMiB, type GpuSku } from "@/lib/kaito/gpu-skus";
import {
  LABEL_GPU_COUNT,
  LABEL_GPU_MEMORY,
  LABEL_GPU_PRODUCT,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  LABEL_OS,
} from "@/lib/kaito/labels";
import type { NodeClaim } from "@/server/kube/types/nodeclaim";

/** Annotation that hands a Node to the KWOK controller (its default node selector). */
export const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";
const DEFAULT_STORAGE = "1024Gi";

/** What the claimed VM offers; the same figures go into the Node and the NodeClaim status. */
export function nodeResources(claim: NodeClaim, sku: GpuSku): Record<string, string> {
  return {
    cpu: String(sku.cpu),
    memory: `${sku.memoryGiB}Gi`,
    pods: "110",
    "ephemeral-storage": claim.spec.resources?.requests?.storage ?? DEFAULT_STORAGE,
    "nvidia.com/gpu": String(sku.gpuCount),
  };
}

/** Single-valued `In` requirements become labels, as karpenter does when it launches a node. */
function requirementLabels(claim: NodeClaim): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const r of claim.spec.requirements ?? []) {
    if (r.operator === "In" && r.values?.length === 1) labels[r.key] = r.values[0];
  }
  return labels;
}

export function claimedInstanceType(claim: NodeClaim): string | undefined {
  const requirement = claim.spec.requirements?.find((r) => r.key === LABEL_INSTANCE_TYPE && r.operator === "In");
  return requirement?.values?.[0] ?? claim.metadata.labels?.[LABEL_INSTANCE_TYPE];
}

/** The Node a cloud provider would register for this claim, simulated by KWOK. */
export function renderNode(claim: NodeClaim, sku: GpuSku): V1Node {
  const name = claim.metadata.name;
  const resources = nodeResources(claim, sku);
  const taints = [...(claim.spec.taints ?? [])];
  if (!taints.some((t) => t.key === "sku" && t.effect === "NoSchedule")) {
    taints.push({ key: "sku", value: "gpu", effect: "NoSchedule" });
  }
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        ...requirementLabels(claim),
        ...claim.metadata.labels,
        [LABEL_INSTANCE_TYPE]: sku.name,
        "beta.kubernetes.io/instance-type": sku.name,
        [LABEL_OS]: "linux",
        "kubernetes.io/arch": "amd64",
        // The kubelet sets the deprecated beta labels too; without them kube-controller-manager
        // patches every new Node to add them.
        "beta.kubernetes.io/os": "linux",
        "beta.kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        [LABEL_NODEPOOL]: claim.metadata.labels?.[LABEL_NODEPOOL] ?? KAITO_NODEPOOL,
        "karpenter.sh/registered": "true",
        [LABEL_GPU_PRODUCT]: sku.gpuProduct,
        [LABEL_GPU_COUNT]: String(sku.gpuCount),
        [LABEL_GPU_MEMORY]: String(gpuMemoryPerGpuMiB(sku)),
        "nvidia.com/gpu.present": "true",
        type: "kwok",
      },
      annotations: { [KWOK_NODE_ANNOTATION]: "fake", "node.alpha.kubernetes.io/ttl": "0" },
      // karpenter makes the NodeClaim the Node's owner, so garbage collection removes a Node
      // whose claim vanished even if the provisioner was down at the time.
      ownerReferences: [
        {
          apiVersion: claim.apiVersion,
          kind: "NodeClaim",
          name,
          uid: claim.metadata.uid!,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { providerID: `kwok://${name}`, taints },
    status: { capacity: resources, allocatable: resources },
  };
}
