// What the metrics integration tests share: the model-server double reading the cluster's
// Workspaces, the GPU metrics double reading its nodes and pods, and a real Prometheus scraping
// both (dev/prometheus), each on a free loopback port, plus a GPU node with a Workspace's pod on it.
import { mkdtempSync, rmSync } from "node:fs";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import type { V1Node, V1Pod } from "@kubernetes/client-node";

import { freePort } from "@/dev/lib/ports";
import { createGpuMetricsServer } from "@/dev/gpu-metrics/create-gpu-metrics-server";
import { createModelServer } from "@/dev/model-server/create-model-server";
import { clusterModelSource } from "@/dev/model-server/workspace-models";
import { startLocalPrometheus, type LocalPrometheus } from "@/dev/prometheus/start-local-prometheus";
import { createKubeClient } from "@/server/kube/kube-client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";

import { kubeApis } from "./cluster";
import { provisionGpuNode } from "./gpu-node";
import { waitFor } from "./wait-for";

export type MetricsStack = {
  prometheus: LocalPrometheus;
  modelServerUrl: string;
  gpuMetricsUrl: string;
  /** PromQL instant query against the stack's Prometheus; the result vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
};

const listen = (server: http.Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

export async function startMetricsStack(options: {
  ttftMs: number;
  tokenDelayMs: number;
  maxConcurrency?: number;
  /** Running requests at which the GPU metrics double reports 100 %. */
  gpuSaturation?: number;
  /** host:port of a web /metrics to scrape too (the proxy's own series). */
  web?: string;
}): Promise<MetricsStack> {
  const { kc } = kubeApis();
  const kube = await createKubeClient(loadKubeConfig().kc);
  const double = createModelServer({
    ttftMs: options.ttftMs,
    tokenDelayMs: options.tokenDelayMs,
    maxConcurrency: options.maxConcurrency ?? 64,
    maxQueue: 256,
    defaultModel: "unused",
    models: clusterModelSource(kc, 200),
  });
  const modelServer = await listen(double.server);
  const gpus = createGpuMetricsServer(
    {
      nodes: async () => (await kube.request<{ items: V1Node[] }>({ method: "GET", path: "/api/v1/nodes" })).items,
      pods: async () => (await kube.request<{ items: V1Pod[] }>({ method: "GET", path: "/api/v1/pods" })).items,
      load: async () => (await fetch(`http://${modelServer}/_double/load`)).json(),
    },
    { saturation: options.gpuSaturation ?? 8, memoryUtilization: 0.9 },
  );
  const gpuMetrics = await listen(gpus);
  const dir = mkdtempSync(path.join(tmpdir(), "kd-prometheus-"));
  const prometheus = await startLocalPrometheus({
    kube,
    dir,
    port: await freePort(),
    scrapeInterval: "1s",
    namespace: "kaito-dashboard",
    // No worker runs in these tests: its target is down, which the tests do not look at.
    targets: { modelServer, gpuMetrics, worker: "127.0.0.1:9", web: options.web },
  });
  return {
    prometheus,
    modelServerUrl: `http://${modelServer}`,
    gpuMetricsUrl: `http://${gpuMetrics}`,
    async query(promql) {
      const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = await res.json();
      if (body.status !== "success") throw new Error(`${promql}: ${body.error}`);
      return body.data.result;
    },
    async stop() {
      double.closeAll();
      gpus.closeAllConnections();
      await prometheus.stop();
      await Promise.all([new Promise((r) => double.server.close(r)), new Promise((r) => gpus.close(r))]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A GPU node from the provisioner double and a Running inference pod of `workspace` on it. */
export async function startWorkspacePod(namespace: string, workspace: string, nodeName: string): Promise<void> {
  const { core } = kubeApis();
  await provisionGpuNode(nodeName);
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: `${workspace}-0`, labels: { "kaito.sh/workspace": workspace } },
      spec: {
        nodeName,
        tolerations: [{ key: "sku", operator: "Exists" }],
        containers: [
          {
            name: workspace,
            image: "mcr.microsoft.com/aks/kaito/kaito-base:0.0.1",
            ports: [{ name: "http", containerPort: 5000 }],
            resources: { limits: { "nvidia.com/gpu": "1" }, requests: { "nvidia.com/gpu": "1" } },
          },
        ],
      },
    },
  });
  await waitFor("the inference pod Running", async () => {
    const pod = await core.readNamespacedPod({ name: `${workspace}-0`, namespace });
    return pod.status?.phase === "Running";
  });
}
