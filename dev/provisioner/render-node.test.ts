import { describe, expect, it } from "vitest";

import { findSku } from "@/lib/kaito/gpu-skus";
import type { NodeClaim } from "@/server/kube/types/nodeclaim";

import { claimedInstanceType, renderNode } from "./render-node";

const claim: NodeClaim = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodeClaim",
  metadata: { name: "wsabc", uid: "u-1", labels: { "kaito.sh/workspace": "phi", apps: "phi-3" } },
  spec: {
    nodeClassRef: { group: "kaito.sh", kind: "KaitoNodeClass", name: "default" },
    requirements: [
      { key: "node.kubernetes.io/instance-type", operator: "In", values: ["Standard_NC24ads_A100_v4"] },
      { key: "karpenter.sh/nodepool", operator: "In", values: ["kaito"] },
    ],
    resources: { requests: { storage: "120Gi" } },
  },
};

describe("renderNode", () => {
  const node = renderNode(claim, findSku(claimedInstanceType(claim)!)!);

  it("labels the node like GPU feature discovery and karpenter would", () => {
    expect(node.metadata?.labels).toMatchObject({
      "node.kubernetes.io/instance-type": "Standard_NC24ads_A100_v4",
      "kubernetes.io/os": "linux",
      "karpenter.sh/nodepool": "kaito",
      "kaito.sh/workspace": "phi",
      apps: "phi-3",
      "nvidia.com/gpu.product": "NVIDIA-A100-80GB-PCIe",
      "nvidia.com/gpu.count": "1",
      "nvidia.com/gpu.memory": "81920",
    });
    expect(node.metadata?.annotations?.["kwok.x-k8s.io/node"]).toBe("fake");
    expect(node.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "NodeClaim", name: "wsabc", uid: "u-1" });
  });

  it("offers the SKU's GPUs and the claim's disk, behind the sku=gpu taint", () => {
    expect(node.status?.capacity).toEqual({
      cpu: "24",
      memory: "220Gi",
      pods: "110",
      "ephemeral-storage": "120Gi",
      "nvidia.com/gpu": "1",
    });
    expect(node.status?.allocatable).toEqual(node.status?.capacity);
    expect(node.spec?.taints).toEqual([{ key: "sku", value: "gpu", effect: "NoSchedule" }]);
    expect(node.spec?.providerID).toBe("kwok://wsabc");
  });
});
