// A GPU node for tests that need one without a Workspace: a NodeClaim that the provisioner
// double turns into a Ready KWOK node of the given SKU.
import type { V1Taint } from "@kubernetes/client-node";

import type { KubeClient } from "@/server/kube/kube-client";

import { kubeApis } from "./cluster";
import { waitFor } from "./wait-for";

const nodeclaims = { group: "karpenter.sh", version: "v1", plural: "nodeclaims" };

/** Creates the NodeClaim `name` and waits until its node (of the same name) is Ready. */
export async function provisionGpuNode(name: string, instanceType = "Standard_NC6s_v3"): Promise<void> {
  const { core, custom } = kubeApis();
  await custom.createClusterCustomObject({
    ...nodeclaims,
    body: {
      apiVersion: "karpenter.sh/v1",
      kind: "NodeClaim",
      metadata: { name },
      spec: {
        nodeClassRef: { group: "kaito.sh", kind: "KaitoNodeClass", name: "default" },
        requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: [instanceType] }],
      },
    },
  });
  await waitFor(`GPU node ${name} Ready`, async () => {
    const node = await core.readNode({ name });
    return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
  });
}

/** Deletes the NodeClaim `name`; its node goes with it. Missing is fine. */
export async function releaseGpuNode(name: string): Promise<void> {
  await kubeApis()
    .custom.deleteClusterCustomObject({ ...nodeclaims, name })
    .catch(() => undefined);
}

/**
 * A KWOK node created directly, as a bring-your-own node would be: no NodeClaim, the given labels
 * beside KWOK's `type: kwok` and its `kwok.x-k8s.io/node` annotation, and the capacity also
 * allocatable.
 */
export async function createKwokNode(
  client: KubeClient,
  name: string,
  node: { labels: Record<string, string>; capacity: Record<string, string>; taints?: V1Taint[] },
): Promise<void> {
  await client.request({
    method: "POST",
    path: "/api/v1/nodes",
    body: {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name, labels: { ...node.labels, type: "kwok" }, annotations: { "kwok.x-k8s.io/node": "fake" } },
      spec: node.taints ? { taints: node.taints } : {},
      status: { capacity: node.capacity, allocatable: node.capacity },
    },
  });
}
