// Kaito v0.12 Workspace fields on the real local cluster, reconciled by the worker process (with the
// chart's RBAC) in bring-your-own-node mode: resource.partition on a KWOK node that offers MIG
// devices, Kaito's reserved selector keys ignored when nodes are matched (docs/kaito-api.md §2),
// and the post-load benchmark read from the pod's log, which KWOK serves (§3).
import { randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { KubeClient } from "@/server/kube/kube-client";
import type { Workspace } from "@/server/kube/types/workspace";

import { conditionOf, startWorkerRig, waitForCondition, type WorkerRig } from "./controller-harness";
import { createKwokNode } from "../support/gpu-node";

const MIG = "nvidia.com/mig-1g.10gb";
let client: KubeClient;
let ns: string;
let rig: WorkerRig;
const label = `parity-${randomBytes(3).toString("hex")}`;
const nodeName = `kd-mig-${label}`;

function workspace(
  name: string,
  partition: NonNullable<Workspace["resource"]>["partition"],
  annotations: Record<string, string> = { "kaito.sh/disable-benchmark": "true" },
) {
  return {
    apiVersion: "kaito.sh/v1beta1",
    kind: "Workspace",
    metadata: { name, namespace: ns, annotations },
    // A reserved key beside the user's own label: ignored when matching, so the node still fits.
    resource: { labelSelector: { matchLabels: { apps: label, "kaito.sh/workspace": "someone-else" } }, partition },
    inference: { preset: { name: "phi-3-mini-4k-instruct" } },
  };
}

beforeAll(async () => {
  rig = await startWorkerRig(
    "parity",
    { NODE_PROVISIONER_MODE: "byo", CONTROLLER_TIMELINE: "off" },
    {
      // A bring-your-own GPU node whose A100 is split into seven 1g.10gb MIG devices, no whole GPUs.
      async beforeStart({ client }) {
        await createKwokNode(client, nodeName, {
          labels: { apps: label, "nvidia.com/gpu.product": "NVIDIA-A100-80GB-PCIe-MIG-1g.10gb" },
          capacity: { cpu: "24", memory: "220Gi", pods: "110", [MIG]: "7" },
        });
      },
      async afterStop({ client }) {
        await client.request({ method: "DELETE", path: `/api/v1/nodes/${nodeName}` }).catch(() => undefined);
      },
    },
  );
  ({ client, ns } = rig);
});

afterAll(() => rig?.stop());

describe("resource.partition on bring-your-own nodes", () => {
  it("runs a MIG-partitioned model on the node that offers the slice, its pod asking for one MIG device", async () => {
    await client.request({
      method: "POST",
      path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
      body: workspace("mig", { mode: "mig", profile: "1g.10gb" }),
    });
    const ws = await waitForCondition(client, ns, "mig", "WorkspaceSucceeded", "True");
    expect(ws.status?.state).toBe("Ready");
    expect(ws.status?.workerNodes).toEqual([nodeName]);
    const pod = await client.request<{ spec: { nodeName: string; containers: { resources: unknown }[] } }>({
      method: "GET",
      path: `/api/v1/namespaces/${ns}/pods/mig-0`,
    });
    expect(pod.spec.nodeName).toBe(nodeName);
    expect(pod.spec.containers[0].resources).toEqual({ requests: { [MIG]: "1" }, limits: { [MIG]: "1" } });
  });

  it("refuses a slice smaller than the model's weights with upstream's message, and creates nothing", async () => {
    await client.request({
      method: "POST",
      path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
      body: workspace("too-small", { mode: "mig", profile: "1g.5gb" }),
    });
    const ws = await waitForCondition(client, ns, "too-small", "ResourceReady", "False", "ValidationFailed");
    expect(conditionOf(ws, "ResourceReady")?.message).toBe(
      "Model phi-3-mini-4k-instruct requires at least 7.12Gi for weights, which exceeds the 1g.5gb MIG slice capacity of 5Gi",
    );
    expect(ws.status?.state).toBe("Pending");
    const sets = await client.request<{ items: unknown[] }>({
      method: "GET",
      path: `/apis/apps/v1/namespaces/${ns}/statefulsets`,
      query: { labelSelector: "kaito.sh/workspace=too-small" },
    });
    expect(sets.items).toEqual([]);
  });

  it("is refused by the CRD when the mode is not one upstream knows", async () => {
    const refused = await client
      .request({
        method: "POST",
        path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
        body: workspace("bad-mode", { mode: "mps" }),
      })
      .then(
        () => "created",
        (error: Error) => error.message,
      );
    expect(refused).toMatch(/resource\.partition\.mode: Unsupported value: "mps"/);
  });
});

describe("the post-load benchmark", () => {
  it("records the model server's peakTokensPerMinute from the pod log, with BenchmarkCompleted", async () => {
    await client.request({
      method: "POST",
      path: `/apis/kaito.sh/v1beta1/namespaces/${ns}/workspaces`,
      body: workspace("benchmarked", { mode: "mig", profile: "1g.10gb" }, {}),
    });
    const ws = await waitForCondition(client, ns, "benchmarked", "BenchmarkCompleted", "True", "BenchmarkCompleted");
    expect(conditionOf(ws, "BenchmarkCompleted")?.message).toBe("benchmark result has been recorded");
    expect(conditionOf(ws, "WorkspaceSucceeded")?.status).toBe("True");
    expect(ws.status?.state).toBe("Ready");
    // The double's ceiling at its default pacing: 256 sequences × a token every 5 ms, for a minute.
    expect(ws.status?.performance?.metrics?.peakTokensPerMinute).toMatchObject({
      description: "stress/high-concurrency",
      value: "3072000",
      unit: "tokens/min",
      config: { maxConcurrency: "256" },
    });
  });

  it('leaves status.performance out when kaito.sh/disable-benchmark is "true"', async () => {
    const ws = await waitForCondition(client, ns, "mig", "WorkspaceSucceeded", "True");
    expect(ws.status?.performance).toBeUndefined();
    expect(conditionOf(ws, "BenchmarkCompleted")).toBeUndefined();
  });
});
