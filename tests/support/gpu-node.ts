// A GPU node for tests that need one without a Workspace: a NodeClaim that the provisioner
// double turns into a Ready KWOK node of the given SKU.
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
