import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";

import { sample } from "@/tests/support/prometheus-text";

import { gpuInventory } from "./gpu-inventory";
import { renderDcgmMetrics } from "./render-dcgm-metrics";

const node: V1Node = {
  metadata: {
    name: "ws-a1b2c",
    labels: { "nvidia.com/gpu.product": "NVIDIA-A100-80GB-PCIe", "nvidia.com/gpu.memory": "81920" },
  },
  status: { capacity: { "nvidia.com/gpu": "2" } },
};
const pod = (name: string, gpus: number, created: string): V1Pod => ({
  metadata: { name, namespace: "team-a", labels: { "kaito.sh/workspace": "phi" }, creationTimestamp: created as never },
  spec: {
    nodeName: "ws-a1b2c",
    containers: [{ name: "phi", resources: { limits: { "nvidia.com/gpu": String(gpus) } } }],
  },
  status: { phase: "Running" },
});
const options = { saturation: 8, memoryUtilization: 0.9 };

describe("the GPU metrics double", () => {
  const gpus = gpuInventory([node], [pod("phi-0", 1, "2026-12-06T08:00:00Z")]);
  const held = gpus.find((g) => g.holder)!;
  const labels = (gpu: typeof held) => ({
    gpu: String(gpu.index),
    UUID: gpu.uuid,
    device: `nvidia${gpu.index}`,
    modelName: "NVIDIA A100-80GB-PCIe",
    Hostname: "ws-a1b2c",
    ...(gpu.holder ? { container: "phi", namespace: "team-a", pod: "phi-0" } : {}),
  });

  it("lists every GPU of the node, the pod's with dcgm-exporter's pod, namespace and container labels", () => {
    expect(gpus).toHaveLength(2);
    expect(held.index).toBe(0);
    expect(held.uuid).toMatch(/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const text = renderDcgmMetrics(gpus, {}, options);
    expect(text).toContain("# TYPE DCGM_FI_DEV_GPU_UTIL gauge");
    expect(sample(text, "DCGM_FI_DEV_FB_USED", labels(held))).toBe(73728);
    expect(sample(text, "DCGM_FI_DEV_FB_FREE", labels(held))).toBe(8192);
    const spare = gpus.find((g) => !g.holder)!;
    expect(sample(text, "DCGM_FI_DEV_FB_USED", labels(spare))).toBe(0);
    expect(sample(text, "DCGM_FI_DEV_GPU_UTIL", labels(spare))).toBe(0);
  });

  it("follows the workspace's running requests: busy under load, zero after", () => {
    const busy = renderDcgmMetrics(gpus, { "team-a/phi": { running: 4, waiting: 0, kvCacheUsage: 0.1 } }, options);
    expect(sample(busy, "DCGM_FI_DEV_GPU_UTIL", labels(held))).toBe(50);
    const saturated = renderDcgmMetrics(gpus, { "team-a/phi": { running: 30, waiting: 9, kvCacheUsage: 1 } }, options);
    expect(sample(saturated, "DCGM_FI_DEV_GPU_UTIL", labels(held))).toBe(100);
    expect(sample(saturated, "DCGM_FI_DEV_POWER_USAGE", labels(held))).toBe(300);
    const idle = renderDcgmMetrics(gpus, { "team-a/phi": { running: 0, waiting: 0, kvCacheUsage: 0 } }, options);
    expect(sample(idle, "DCGM_FI_DEV_GPU_UTIL", labels(held))).toBe(0);
    expect(sample(idle, "DCGM_FI_DEV_POWER_USAGE", labels(held))).toBeLessThan(100);
  });

  it("hands out whole devices in pod creation order and never more than the node has", () => {
    const crowded = gpuInventory(
      [node],
      [pod("late", 2, "2026-12-06T09:00:00Z"), pod("early", 1, "2026-12-06T08:00:00Z")],
    );
    expect(crowded.map((g) => g.holder?.pod)).toEqual(["early", "late"]);
  });
});
