import type { SimulatedGpu } from "./gpu-inventory";

/** What one workspace's inference server is doing now (the model-server double's /_double/load). */
export type WorkspaceLoad = { running: number; waiting: number; kvCacheUsage: number };

export type DcgmOptions = {
  /** Running sequences at which a GPU counts as fully busy. */
  saturation: number;
  /** Share of GPU memory a loaded vLLM holds: weights plus the KV cache it preallocates. */
  memoryUtilization: number;
};

/** Board power in watts (TDP) by GPU product, for DCGM_FI_DEV_POWER_USAGE. */
const BOARD_POWER: [RegExp, number][] = [
  [/H100-80GB-HBM3|H200/, 700],
  [/H100-NVL|A100-SXM/, 400],
  [/A100/, 300],
  [/V100/, 250],
  [/-A10$/, 150],
  [/T4/, 70],
];
const IDLE_POWER_SHARE = 0.15;

// dcgm-exporter's default counters (etc/default-counters.csv): field, type, help.
const FAMILIES = [
  ["DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %)."],
  ["DCGM_FI_DEV_FB_FREE", "gauge", "Framebuffer memory free (in MiB)."],
  ["DCGM_FI_DEV_FB_USED", "gauge", "Framebuffer memory used (in MiB)."],
  ["DCGM_FI_DEV_POWER_USAGE", "gauge", "Power draw (in W)."],
] as const;

/**
 * dcgm-exporter's text for the simulated GPUs. A GPU held by a workspace's pod is as busy as that
 * workspace's running requests make it and holds the memory vLLM preallocates; any other GPU idles.
 * Labels are dcgm-exporter's, with pod, namespace and container of the holder (its Kubernetes
 * mapping), so a Prometheus scraping with honor_labels sees the workload's pod, not the exporter's.
 */
export function renderDcgmMetrics(
  gpus: readonly SimulatedGpu[],
  load: Readonly<Record<string, WorkspaceLoad>>,
  options: DcgmOptions,
): string {
  const rows = gpus.map((gpu) => {
    const holder = gpu.holder;
    const serving = holder?.workspace ? load[`${holder.namespace}/${holder.workspace}`] : undefined;
    const busy = serving ? Math.min(1, serving.running / options.saturation) : 0;
    const used = holder?.workspace ? Math.round(gpu.memoryMiB * options.memoryUtilization) : 0;
    const tdp = BOARD_POWER.find(([pattern]) => pattern.test(gpu.product))?.[1] ?? 300;
    const labels = [
      ["gpu", String(gpu.index)],
      ["UUID", gpu.uuid],
      ["device", `nvidia${gpu.index}`],
      ["modelName", gpu.modelName],
      ["Hostname", gpu.node],
      ...(holder
        ? [
            ["container", holder.container],
            ["namespace", holder.namespace],
            ["pod", holder.pod],
          ]
        : []),
    ]
      .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
      .join(",");
    return {
      labels,
      values: {
        DCGM_FI_DEV_GPU_UTIL: Math.round(busy * 100),
        DCGM_FI_DEV_FB_FREE: gpu.memoryMiB - used,
        DCGM_FI_DEV_FB_USED: used,
        DCGM_FI_DEV_POWER_USAGE: round3(tdp * (IDLE_POWER_SHARE + (1 - IDLE_POWER_SHARE) * busy)),
      },
    };
  });
  const lines: string[] = [];
  for (const [field, type, help] of FAMILIES) {
    lines.push(`# HELP ${field} ${help}`, `# TYPE ${field} ${type}`);
    for (const row of rows) lines.push(`${field}{${row.labels}} ${row.values[field]}`);
  }
  return lines.join("\n") + "\n";
}

function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
