import "server-only";

import { workspaceGpuSelector, workspaceSelector, workspacesGpuSelector, workspacesSelector } from "./promql";
import { TIME_WINDOWS, type TimeWindow } from "./time-windows";

export type ChartUnit = "requests" | "seconds" | "tokens/s" | "ratio" | "percent" | "MiB";

/**
 * One line of a chart: a PromQL query; `perPod` queries give one series per pod, `perWorkspace`
 * ones one per Workspace (an InferenceSet's replicas).
 */
export type ChartQuery = { label: string; promql: string; perPod?: boolean; perWorkspace?: boolean };

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
  return charts(workspaceSelector(namespace, name), workspaceGpuSelector(namespace, name), window, false);
}

/**
 * The same charts for an InferenceSet: its child Workspaces' series, one line per replica
 * (grouped by their `workspace` label; the GPUs by pod, as for one Workspace).
 */
export function inferenceSetCharts(namespace: string, children: readonly string[], window: TimeWindow): ChartSpec[] {
  return charts(workspacesSelector(namespace, children), workspacesGpuSelector(namespace, children), window, true);
}

function charts(sel: string, gpu: string, window: TimeWindow, perWorkspace: boolean): ChartSpec[] {
  const r = TIME_WINDOWS[window].rate;
  const agg = (fn: string, inner: string) => (perWorkspace ? `${fn} by (workspace) (${inner})` : `${fn}(${inner})`);
  const quantile = (q: number, histogram: string) =>
    `histogram_quantile(${q}, sum by (${perWorkspace ? "workspace, le" : "le"}) (rate(${histogram}_bucket${sel}[${r}])))`;
  const line = (label: string, promql: string): ChartQuery => ({
    label,
    promql,
    ...(perWorkspace ? { perWorkspace } : {}),
  });
  return [
    {
      id: "requests",
      title: "Requests running and waiting",
      unit: "requests",
      source: VLLM,
      queries: [
        line("running", agg("sum", `vllm:num_requests_running${sel}`)),
        line("waiting", agg("sum", `vllm:num_requests_waiting${sel}`)),
      ],
    },
    {
      id: "ttft",
      title: "Time to first token",
      unit: "seconds",
      source: VLLM,
      queries: [
        line("p50", quantile(0.5, "vllm:time_to_first_token_seconds")),
        line("p95", quantile(0.95, "vllm:time_to_first_token_seconds")),
      ],
    },
    {
      id: "tpot",
      title: "Time per output token",
      unit: "seconds",
      source: VLLM,
      queries: [
        line("p50", quantile(0.5, "vllm:time_per_output_token_seconds")),
        line("p95", quantile(0.95, "vllm:time_per_output_token_seconds")),
      ],
    },
    {
      id: "tokens",
      title: "Tokens per second",
      unit: "tokens/s",
      source: VLLM,
      queries: [
        line("in (prompt)", agg("sum", `rate(vllm:prompt_tokens_total${sel}[${r}])`)),
        line("out (generated)", agg("sum", `rate(vllm:generation_tokens_total${sel}[${r}])`)),
      ],
    },
    {
      id: "kv-cache",
      title: "KV cache in use",
      unit: "ratio",
      source: VLLM,
      // vLLM before 0.9 named it gpu_cache_usage_perc.
      queries: [line("used", agg("max", `vllm:kv_cache_usage_perc${sel} or vllm:gpu_cache_usage_perc${sel}`))],
    },
    {
      // The proxy's figure starts when the request reaches the dashboard; the gap to vLLM's is the
      // dashboard's hop (and, for requests that do not come through it, a different mix).
      id: "ttft-dashboard",
      title: "Time to first token through the dashboard and at vLLM (p50)",
      unit: "seconds",
      source: BOTH,
      queries: [
        line("through the dashboard", quantile(0.5, "kaito_dashboard_inference_time_to_first_token_seconds")),
        line("at vLLM", quantile(0.5, "vllm:time_to_first_token_seconds")),
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
