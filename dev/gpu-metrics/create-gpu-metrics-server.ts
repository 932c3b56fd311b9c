import http from "node:http";

import type { V1Node, V1Pod } from "@kubernetes/client-node";

import { gpuInventory } from "./gpu-inventory";
import { renderDcgmMetrics, type DcgmOptions, type WorkspaceLoad } from "./render-dcgm-metrics";

export type GpuMetricsSources = {
  nodes(): Promise<V1Node[]>;
  pods(): Promise<V1Pod[]>;
  /** Per `namespace/workspace`, what its inference server is doing now. */
  load(): Promise<Record<string, WorkspaceLoad>>;
};

/**
 * The GPU metrics double: dcgm-exporter's /metrics for the local cluster's simulated GPUs. Each
 * scrape reads the GPU nodes and their pods from the cluster and the model-server double's load,
 * so utilisation rises with the requests a workspace really serves and falls back to zero after.
 */
export function createGpuMetricsServer(sources: GpuMetricsSources, options: DcgmOptions) {
  return http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://double").pathname;
    if (req.method === "GET" && path === "/health") return void res.writeHead(200).end();
    if (req.method !== "GET" || path !== "/metrics") return void res.writeHead(404).end("Not Found\n");
    Promise.all([sources.nodes(), sources.pods(), sources.load()])
      .then(([nodes, pods, load]) => {
        const text = renderDcgmMetrics(gpuInventory(nodes, pods), load, options);
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(text);
      })
      .catch((error: unknown) => {
        // A failed scrape, as dcgm-exporter answers when DCGM is unreachable; Prometheus marks the target down.
        res.writeHead(503, { "content-type": "text/plain" }).end(`${error instanceof Error ? error.message : error}\n`);
      });
  });
}
