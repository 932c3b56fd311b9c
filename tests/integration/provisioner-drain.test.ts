// The GPU provisioner double drains a node before deleting it, as karpenter's termination does
// (taint, evict the pods bound to it through the Eviction API, so that a PodDisruptionBudget holds
// it, then delete the Node and release the NodeClaim), on the real
// local cluster with the Workspace controller running as the chart's worker. Without the drain a
// deleted Workspace's pod outlived its node, Terminating until the pod garbage collector's 40 s
// quarantine ended, and a Workspace re-applied under the same name in that time waited for it.
import { execFileSync } from "node:child_process";

import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { kubeconfigPath } from "@/dev/cluster/paths";
import { isNotFound, type KubeClient } from "@/server/kube/kube-client";
import type { Workspace } from "@/server/kube/types/workspace";

import { conditionOf, getWorkspace, startWorkerRig, waitForCondition, type WorkerRig } from "./controller-harness";
import { waitFor } from "../support/wait-for";

let client: KubeClient;
let ns: string;
let rig: WorkerRig;
const NAME = "redeployed";

function kubectl(args: string[], input?: string): string {
  return execFileSync("kubectl", args, {
    encoding: "utf8",
    input,
    env: { ...process.env, KUBECONFIG: process.env.KUBECONFIG ?? kubeconfigPath },
  });
}

function applyWorkspace() {
  const doc = {
    apiVersion: "kaito.sh/v1beta1",
    kind: "Workspace",
    metadata: { name: NAME, annotations: { "kaito.sh/disable-benchmark": "true" } },
    resource: { instanceType: "Standard_NC24ads_A100_v4", labelSelector: { matchLabels: { apps: ns } } },
    inference: { preset: { name: "phi-4-mini-instruct" } },
  };
  kubectl(["apply", "-n", ns, "-f", "-"], JSON.stringify(doc));
}

async function getOrUndefined<T>(path: string): Promise<T | undefined> {
  try {
    return await client.request<T>({ method: "GET", path });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

const podPath = () => `/api/v1/namespaces/${ns}/pods/${NAME}-0`;

beforeAll(async () => {
  rig = await startWorkerRig("drain", { CONTROLLER_TIMELINE: "off" });
  ({ client, ns } = rig);
});

afterAll(() => rig?.stop());

describe("GPU provisioner double: drain before delete", () => {
  it("a Workspace deleted and re-applied at once is not Ready before its new pod runs on a new node", async () => {
    applyWorkspace();
    const first = await waitForCondition(client, ns, NAME, "WorkspaceSucceeded", "True");
    const oldPod = (await client.request<V1Pod>({ method: "GET", path: podPath() }))!;
    const oldNode = oldPod.spec!.nodeName!;
    expect(first.status?.workerNodes).toEqual([oldNode]);

    // A PodDisruptionBudget that allows no disruption holds the drain, as it holds karpenter's:
    // the node is tainted while the model pod is still bound to it, and nothing is deleted.
    const pdb = {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: NAME },
      spec: { minAvailable: 1, selector: { matchLabels: { "kaito.sh/workspace": NAME } } },
    };
    kubectl(["apply", "-n", ns, "-f", "-"], JSON.stringify(pdb));
    kubectl(["delete", "workspace", NAME, "-n", ns, "--wait=false"]);
    const held = await waitFor("the old node tainted karpenter.sh/disrupted:NoSchedule", async () => {
      const node = await getOrUndefined<V1Node>(`/api/v1/nodes/${oldNode}`);
      const tainted = node?.spec?.taints?.some((t) => t.key === "karpenter.sh/disrupted" && t.effect === "NoSchedule");
      return tainted && node;
    });
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await getOrUndefined<V1Node>(`/api/v1/nodes/${oldNode}`))?.metadata?.uid).toBe(held.metadata?.uid);
    const stillThere = await getOrUndefined<V1Pod>(podPath());
    expect(stillThere?.metadata?.uid).toBe(oldPod.metadata?.uid);
    expect(stillThere?.metadata?.deletionTimestamp).toBeUndefined();

    kubectl(["delete", "pdb", NAME, "-n", ns]);
    await waitFor("the Workspace gone", async () => !(await getWorkspace(client, ns, NAME)), { timeoutMs: 90_000 });
    // Its nodes went with it, and none of its pods is left bound to a node that no longer exists
    // (on the old double the model pod stayed so, Terminating, for the pod GC's 40 s).
    const left = await client.request<{ items: V1Pod[] }>({
      method: "GET",
      path: `/api/v1/namespaces/${ns}/pods`,
      query: { labelSelector: `kaito.sh/workspace=${NAME}` },
    });
    const stranded: string[] = [];
    for (const pod of left.items) {
      const node = pod.spec?.nodeName;
      if (node && !(await getOrUndefined<V1Node>(`/api/v1/nodes/${node}`)))
        stranded.push(`${pod.metadata?.name} on ${node}`);
    }
    applyWorkspace();
    expect(stranded).toEqual([]);

    // Sampled until it is Ready: whenever it says so, the pod behind it is the new one, running
    // on a node made for the new Workspace, never the predecessor's.
    const seen = await waitFor(
      "the re-applied Workspace Ready",
      async () => {
        const ws = await getWorkspace(client, ns, NAME);
        if (!ws || ws.metadata.uid === first.metadata.uid) return undefined;
        if (conditionOf(ws, "WorkspaceSucceeded")?.status !== "True") return undefined;
        const pod = await getOrUndefined<V1Pod>(podPath());
        const node = pod?.spec?.nodeName
          ? await getOrUndefined<V1Node>(`/api/v1/nodes/${pod.spec.nodeName}`)
          : undefined;
        return { ws, pod, node } as { ws: Workspace; pod?: V1Pod; node?: V1Node };
      },
      { timeoutMs: 90_000, intervalMs: 100 },
    );
    expect(seen.pod?.metadata?.uid).not.toBe(oldPod.metadata?.uid);
    expect(seen.pod?.metadata?.deletionTimestamp).toBeUndefined();
    expect(seen.pod?.status?.phase).toBe("Running");
    expect(seen.pod?.spec?.nodeName).not.toBe(oldNode);
    expect(seen.node?.metadata?.labels?.["kaito-dashboard.dev/workspace-uid"]).toBe(seen.ws.metadata.uid);
    expect(seen.ws.status?.workerNodes).toEqual([seen.pod?.spec?.nodeName]);
    expect(await getOrUndefined<V1Node>(`/api/v1/nodes/${oldNode}`)).toBeUndefined();
  });
});
