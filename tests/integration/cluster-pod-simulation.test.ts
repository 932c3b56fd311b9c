// KWOK stages on the local cluster: pods on simulated nodes start, Job pods finish, and the
// kaito-dashboard.dev/simulate annotation produces the failures a real kubelet reports.
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { kubeApis, kubectl, uniqueName, useTestNamespace } from "../support/cluster";
import { provisionGpuNode, releaseGpuNode } from "../support/gpu-node";
import { waitFor } from "../support/wait-for";

const { core } = kubeApis();
const ns = useTestNamespace("pods");
const nodeName = uniqueName("ws");

beforeAll(() => provisionGpuNode(nodeName));
afterAll(() => releaseGpuNode(nodeName));

function pod(name: string, annotations: Record<string, string> = {}): V1Pod {
  return {
    metadata: { name, annotations },
    spec: {
      nodeName,
      tolerations: [{ key: "sku", operator: "Exists" }],
      containers: [{ name: "model", image: "mcr.microsoft.com/aks/kaito/kaito-base:0.0.1" }],
    },
  };
}

async function containerStatus(name: string, until: (s: V1ContainerStatus) => boolean): Promise<V1ContainerStatus> {
  return waitFor(`container status of ${name}`, async () => {
    const p = await core.readNamespacedPod({ name, namespace: ns.name });
    const status = p.status?.containerStatuses?.[0];
    return status && until(status) ? status : undefined;
  });
}

describe("pods on KWOK nodes", () => {
  it("become Running and Ready", async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: pod("healthy") });
    const status = await containerStatus("healthy", (s) => s.ready === true);
    expect(status.state?.running?.startedAt).toBeTruthy();
    const p = await core.readNamespacedPod({ name: "healthy", namespace: ns.name });
    expect(p.status?.phase).toBe("Running");
    expect(p.status?.podIP).toBeTruthy();
  });

  it("complete a Job after its run time", async () => {
    const job = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "tuning" },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { annotations: { "pod-complete.stage.kwok.x-k8s.io/delay": "1s" } },
          spec: {
            restartPolicy: "Never",
            tolerations: [{ key: "sku", operator: "Exists" }],
            nodeSelector: { "kubernetes.io/hostname": nodeName },
            containers: [{ name: "tuning", image: "mcr.microsoft.com/aks/kaito/kaito-tuning:0.0.1" }],
          },
        },
      },
    };
    expect(kubectl(["apply", "-n", ns.name, "-f", "-"], JSON.stringify(job)).status).toBe(0);
    await waitFor("Job Complete", () => {
      const out = kubectl([
        "get",
        "job",
        "tuning",
        "-n",
        ns.name,
        "-o",
        `jsonpath={.status.conditions[?(@.type=="Complete")].status}`,
      ]);
      return out.stdout === "True";
    });
    const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: "job-name=tuning" });
    expect(pods.items[0].status?.phase).toBe("Succeeded");
    expect(pods.items[0].status?.containerStatuses?.[0].state?.terminated?.reason).toBe("Completed");
  });
});

// Each failure takes a few rounds of KWOK_FAILURE_PERIOD_MS to show; the three run side by side.
describe.concurrent("pods told to fail", () => {
  it("are OOM-killed again and again with simulate=oom", async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: pod("oom", { "kaito-dashboard.dev/simulate": "oom" }) });
    const status = await containerStatus("oom", (s) => s.restartCount >= 2);
    expect(status.ready).toBe(false);
    expect(status.lastState?.terminated).toMatchObject({ reason: "OOMKilled", exitCode: 137 });
  });

  it("crash-loop with simulate=crashloop", async () => {
    await core.createNamespacedPod({
      namespace: ns.name,
      body: pod("crash", { "kaito-dashboard.dev/simulate": "crashloop" }),
    });
    const status = await containerStatus("crash", (s) => s.restartCount >= 2);
    expect(status.state?.waiting?.reason).toBe("CrashLoopBackOff");
    expect(status.lastState?.terminated).toMatchObject({ reason: "Error", exitCode: 1 });
    expect(kubectl(["get", "pod", "crash", "-n", ns.name, "--no-headers"]).stdout).toContain("CrashLoopBackOff");
  });

  it("cannot pull their image with simulate=imagepull", async () => {
    await core.createNamespacedPod({
      namespace: ns.name,
      body: pod("pull", { "kaito-dashboard.dev/simulate": "imagepull" }),
    });
    const first = await containerStatus("pull", (s) => s.state?.waiting?.reason === "ErrImagePull");
    expect(first.state?.waiting?.message).toContain("kaito-base:0.0.1");
    await containerStatus("pull", (s) => s.state?.waiting?.reason === "ImagePullBackOff");
    const p = await core.readNamespacedPod({ name: "pull", namespace: ns.name });
    expect(p.status?.phase).toBe("Pending");
  });
});
