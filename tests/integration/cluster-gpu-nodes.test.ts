// The GPU provisioner double on the local cluster: a NodeClaim becomes a Ready KWOK Node with the
// SKU's GPUs, a GPU workload schedules onto it, deleting the claim removes the Node, and a SKU
// marked unavailable (or over quota) fails the way karpenter reports it.
import type { V1Node } from "@kubernetes/client-node";
import { afterAll, describe, expect, it } from "vitest";

import { kubeApis, statusCode, uniqueName, useTestNamespace } from "../support/cluster";
import { waitFor } from "../support/wait-for";

type Condition = { type: string; status: string; reason?: string; message?: string; lastTransitionTime: string };
type Claim = {
  metadata: { name: string; finalizers?: string[]; labels?: Record<string, string> };
  status?: { nodeName?: string; providerID?: string; capacity?: Record<string, string>; conditions?: Condition[] };
};

const { core, apps, custom } = kubeApis();
const ns = useTestNamespace("gpu");
const nodeclaims = { group: "karpenter.sh", version: "v1", plural: "nodeclaims" };
const created: string[] = [];

function nodeClaim(name: string, instanceType: string, labels: Record<string, string> = {}) {
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: { name, labels: { "karpenter.sh/nodepool": "kaito", ...labels } },
    spec: {
      nodeClassRef: { group: "kaito.sh", kind: "KaitoNodeClass", name: "default" },
      taints: [{ key: "sku", value: "gpu", effect: "NoSchedule" }],
      requirements: [
        { key: "node.kubernetes.io/instance-type", operator: "In", values: [instanceType] },
        { key: "karpenter.sh/nodepool", operator: "In", values: ["kaito"] },
        { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
      ],
      resources: { requests: { storage: "80Gi" } },
    },
  };
}

async function createClaim(name: string, instanceType: string, labels?: Record<string, string>) {
  created.push(name);
  await custom.createClusterCustomObject({ ...nodeclaims, body: nodeClaim(name, instanceType, labels) });
}

const getClaim = (name: string) => custom.getClusterCustomObject({ ...nodeclaims, name }) as Promise<Claim>;
const condition = (claim: Claim, type: string) => claim.status?.conditions?.find((c) => c.type === type);

afterAll(async () => {
  for (const name of created) await custom.deleteClusterCustomObject({ ...nodeclaims, name }).catch(() => undefined);
});

describe("GPU provisioner double", () => {
  it("turns a NodeClaim into a Ready GPU node that a GPU Deployment runs on, and removes it with the claim", async () => {
    const name = uniqueName("ws");
    await createClaim(name, "Standard_NC12s_v3", { "kaito.sh/workspace": "phi", apps: "phi-3" });

    const claim = await waitFor("NodeClaim Ready=True", async () => {
      const c = await getClaim(name);
      return condition(c, "Ready")?.status === "True" && c;
    });
    expect(claim.metadata.finalizers).toContain("karpenter.sh/termination");
    expect(claim.metadata.labels?.["node.kubernetes.io/instance-type"]).toBe("Standard_NC12s_v3");
    expect(claim.status).toMatchObject({ nodeName: name, providerID: `kwok://${name}` });
    expect(claim.status?.capacity).toMatchObject({ "nvidia.com/gpu": "2", cpu: "12", memory: "224Gi" });
    const times = ["Launched", "Registered", "Initialized", "Ready"].map((type) => {
      const c = condition(claim, type);
      expect(c?.status, type).toBe("True");
      return Date.parse(c!.lastTransitionTime);
    });
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const node: V1Node = await core.readNode({ name });
    expect(node.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    expect(node.status?.capacity).toMatchObject({ "nvidia.com/gpu": "2", "ephemeral-storage": "80Gi" });
    expect(node.status?.allocatable?.["nvidia.com/gpu"]).toBe("2");
    expect(node.metadata?.labels).toMatchObject({
      "node.kubernetes.io/instance-type": "Standard_NC12s_v3",
      "kubernetes.io/os": "linux",
      "karpenter.sh/nodepool": "kaito",
      "kaito.sh/workspace": "phi",
      apps: "phi-3",
      "nvidia.com/gpu.product": "Tesla-V100-PCIE-16GB",
      "nvidia.com/gpu.count": "2",
      "nvidia.com/gpu.memory": "16384",
    });
    expect(node.spec?.taints).toContainEqual({ key: "sku", value: "gpu", effect: "NoSchedule" });

    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: {
        metadata: { name: "gpu-app" },
        spec: {
          selector: { matchLabels: { app: "gpu-app" } },
          template: {
            metadata: { labels: { app: "gpu-app" } },
            spec: {
              nodeSelector: { "kaito.sh/workspace": "phi", apps: "phi-3" },
              tolerations: [{ key: "sku", operator: "Equal", value: "gpu", effect: "NoSchedule" }],
              containers: [
                {
                  name: "main",
                  image: "mcr.microsoft.com/aks/kaito/kaito-base:0.0.1",
                  resources: { requests: { "nvidia.com/gpu": "1" }, limits: { "nvidia.com/gpu": "1" } },
                },
              ],
            },
          },
        },
      },
    });
    await waitFor("Deployment Available", async () => {
      const d = await apps.readNamespacedDeployment({ name: "gpu-app", namespace: ns.name });
      return d.status?.conditions?.some((c) => c.type === "Available" && c.status === "True");
    });
    const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=gpu-app" });
    expect(pods.items.map((p) => [p.spec?.nodeName, p.status?.phase])).toEqual([[name, "Running"]]);

    await custom.deleteClusterCustomObject({ ...nodeclaims, name });
    await waitFor("Node deleted", () =>
      core.readNode({ name }).then(
        () => false,
        (e) => statusCode(e) === 404,
      ),
    );
    await waitFor("NodeClaim deleted", () =>
      getClaim(name).then(
        () => false,
        (e) => statusCode(e) === 404,
      ),
    );
  });

  it("leaves a pod without the sku=gpu toleration Pending next to a GPU node", async () => {
    const name = uniqueName("ws");
    await createClaim(name, "Standard_NC6s_v3");
    await waitFor("NodeClaim Ready=True", async () => condition(await getClaim(name), "Ready")?.status === "True");
    await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: "no-toleration" },
        spec: { nodeSelector: { "kubernetes.io/hostname": name }, containers: [{ name: "main", image: "busybox" }] },
      },
    });
    const unschedulable = await waitFor("PodScheduled=False", async () => {
      const pod = await core.readNamespacedPod({ name: "no-toleration", namespace: ns.name });
      return pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
    });
    expect(unschedulable.reason).toBe("Unschedulable");
    expect(unschedulable.message).toContain("untolerated taint");
  });

  describe("launch failures", () => {
    const faults = { name: "gpu-provisioner-faults", namespace: "kube-system" };
    // SKUs no other test uses: the ConfigMap applies to the whole shared cluster while it exists.
    const unavailableSku = "p5en.48xlarge";
    const quotaSku = "g6.48xlarge";

    afterAll(async () => {
      await core.deleteNamespacedConfigMap(faults).catch(() => undefined);
    });

    it("reports an unavailable SKU and an exhausted quota as karpenter does", async () => {
      await core.deleteNamespacedConfigMap(faults).catch(() => undefined);
      await core.createNamespacedConfigMap({
        namespace: faults.namespace,
        body: {
          metadata: { name: faults.name },
          data: { unavailableSkus: unavailableSku, quotaExceededSkus: quotaSku },
        },
      });
      const unavailable = uniqueName("ws");
      const quota = uniqueName("ws");
      await createClaim(unavailable, unavailableSku);
      await createClaim(quota, quotaSku);

      const launched = async (name: string) =>
        waitFor(`Launched condition on ${name}`, async () => condition(await getClaim(name), "Launched"));
      const capacity = await launched(unavailable);
      expect(capacity).toMatchObject({ status: "False", reason: "InsufficientCapacity" });
      expect(capacity.message).toContain("all requested instance types were unavailable during launch");

      const overQuota = await launched(quota);
      expect(overQuota).toMatchObject({ status: "False", reason: "QuotaExceeded" });
      expect(overQuota.message).toContain("quota");
      expect(overQuota.message).toContain("all requested instance types were unavailable during launch");

      expect(condition(await getClaim(unavailable), "Ready")?.status).toBe("False");
      await expect(core.readNode({ name: unavailable })).rejects.toMatchObject({ code: 404 });
    });
  });
});
