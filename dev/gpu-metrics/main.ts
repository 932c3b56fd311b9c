// The GPU metrics double: dcgm-exporter's series for the local cluster's KWOK GPUs.
//   KUBECONFIG=.data/cluster/kubeconfig node --conditions=react-server --import tsx dev/gpu-metrics/main.ts
// (`npm start` and the end-to-end stack start it beside the model-server double; docs/metrics.md).
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { z } from "zod";

import { parseEnv } from "@/server/env";
import { createKubeClient } from "@/server/kube/kube-client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";

import { createGpuMetricsServer } from "./create-gpu-metrics-server";
import type { WorkspaceLoad } from "./render-dcgm-metrics";

const config = parseEnv(
  "GPU metrics double",
  z.object({
    GPU_METRICS_HOST: z.string().default("127.0.0.1"),
    // dcgm-exporter's port.
    GPU_METRICS_PORT: z.coerce.number().int().min(0).default(9400),
    GPU_METRICS_MODEL_SERVER_URL: z.url().default("http://127.0.0.1:8000"),
    GPU_METRICS_SATURATION: z.coerce.number().int().min(1).default(8),
    // vLLM's default --gpu-memory-utilization.
    GPU_METRICS_MEMORY_UTILIZATION: z.coerce.number().min(0).max(1).default(0.9),
  }),
);

const client = await createKubeClient(loadKubeConfig().kc);
type List<T> = { items: T[] };

const server = createGpuMetricsServer(
  {
    nodes: async () =>
      (
        await client.request<List<V1Node>>({
          method: "GET",
          path: "/api/v1/nodes?labelSelector=nvidia.com%2Fgpu.present%3Dtrue",
        })
      ).items,
    pods: async () =>
      (await client.request<List<V1Pod>>({ method: "GET", path: "/api/v1/pods?fieldSelector=status.phase%3DRunning" }))
        .items,
    load: async () => {
      const res = await fetch(new URL("/_double/load", config.GPU_METRICS_MODEL_SERVER_URL), {
        signal: AbortSignal.timeout(2000),
      });
      if (!res.ok) throw new Error(`the model-server double answered ${res.status} for its load`);
      return (await res.json()) as Record<string, WorkspaceLoad>;
    },
  },
  { saturation: config.GPU_METRICS_SATURATION, memoryUtilization: config.GPU_METRICS_MEMORY_UTILIZATION },
);

server.listen(config.GPU_METRICS_PORT, config.GPU_METRICS_HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.GPU_METRICS_PORT;
  console.log(`GPU metrics double listening on http://${config.GPU_METRICS_HOST}:${port}/metrics`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
