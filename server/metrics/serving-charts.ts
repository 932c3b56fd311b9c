import "server-only";

import { workspaceGpuSelector, workspaceSelector } from "./promql";
import { TIME_WINDOWS, type TimeWindow } from "./time-windows";

export type ChartUnit = "requests" | "seconds" | "tokens/s" | "ratio" | "percent" | "MiB";

/** One line of a chart: a PromQL query; `perPod` queries give one series per replica. */
export type ChartQuery = { label: string; promql: string; perPod?: boolean };

export type ChartSpec = {
  id: string;
  title: string;
  unit: ChartUnit;
  /** Where the figure comes from, as the panel names it. */
  source: string;
  queries: ChartQuery[];
};

const VLLM = "vLLM /metrics of the inference pod, via Prometheus";
const DCGM = "NVIDIA DCGM exporter (per GPU), via Prometheus";
const BOTH = "the dashboard's chat proxy (web /metrics) and vLLM /metrics, via Prometheus";

/** The serving panel's charts for one Workspace: vLLM's series by its target labels, dcgm's by pod. */
export function servingCharts(namespace: string, name: string, window: TimeWindow): ChartSpec[] {
  const sel = workspaceSelector(namespace, name);
  const gpu = workspaceGpuSelector(namespace, name);
  const r = TIME_WINDOWS[window].rate;
  const quantile = (q: number, histogram: string) =>
    `histogram_quantile(${q}, sum by (le) (rate(${histogram}_bucket${sel}[${r}])))`;
  return [
    {
      id: "requests",
      title: "Requests running and waiting",
      unit: "requests",
      source: VLLM,
      queries: [
        { label: "running", promql: `sum(vllm:num_requests_running${sel})` },
        { label: "waiting", promql: `sum(vllm:num_requests_waiting${sel})` },
      ],
    },
    {
      id: "ttft",
      title: "Time to first token",
      unit: "seconds",
      source: VLLM,
      queries: [
        { label: "p50", promql: quantile(0.5, "vllm:time_to_first_token_seconds") },
        { label: "p95", promql: quantile(0.95, "vllm:time_to_first_token_seconds") },
      ],
    },
    {
      id: "tpot",
      title: "Time per output token",
      unit: "seconds",
      source: VLLM,
      queries: [
        { label: "p50", promql: quantile(0.5, "vllm:time_per_output_token_seconds") },
        { label: "p95", promql: quantile(0.95, "vllm:time_per_output_token_seconds") },
      ],
    },
    {
      id: "tokens",
      title: "Tokens per second",
      unit: "tokens/s",
      source: VLLM,
      queries: [
        { label: "in (prompt)", promql: `sum(rate(vllm:prompt_tokens_total${sel}[${r}]))` },
        { label: "out (generated)", promql: `sum(rate(vllm:generation_tokens_total${sel}[${r}]))` },
      ],
    },
    {
      id: "kv-cache",
      title: "KV cache in use",
      unit: "ratio",
      source: VLLM,
      // vLLM before 0.9 named it gpu_cache_usage_perc.
      queries: [{ label: "used", promql: `max(vllm:kv_cache_usage_perc${sel} or vllm:gpu_cache_usage_perc${sel})` }],
    },
    {
      // The proxy's figure starts when the request reaches the dashboard; the gap to vLLM's is the
      // dashboard's hop (and, for requests that do not come through it, a different mix).
      id: "ttft-dashboard",
      title: "Time to first token through the dashboard and at vLLM (p50)",
      unit: "seconds",
      source: BOTH,
      queries: [
        {
          label: "through the dashboard",
          promql: quantile(0.5, "kaito_dashboard_inference_time_to_first_token_seconds"),
        },
        { label: "at vLLM", promql: quantile(0.5, "vllm:time_to_first_token_seconds") },
      ],
    },
    {
      id: "gpu-util",
      title: "GPU utilisation per replica",
      unit: "percent",
      source: DCGM,
      queries: [{ label: "{pod}", promql: `avg by (pod) (DCGM_FI_DEV_GPU_UTIL${gpu})`, perPod: true }],
    },
    {
      id: "gpu-memory",
      title: "GPU memory used per replica",
      unit: "MiB",
      source: DCGM,
      queries: [{ label: "{pod}", promql: `sum by (pod) (DCGM_FI_DEV_FB_USED${gpu})`, perPod: true }],
    },
  ];
}
