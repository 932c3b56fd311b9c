import "server-only";

import { TIME_WINDOWS, type TimeWindow } from "./time-windows";

/** The fleet page's PromQL: instant queries over the whole cluster, grouped by pod or Workspace. */
export function fleetQueries(period: TimeWindow, idleHours: number) {
  const { step } = TIME_WINDOWS[period];
  const held = 'DCGM_FI_DEV_GPU_UTIL{pod!=""}';
  return {
    /** GPUs a pod holds now. */
    gpus: `count by (namespace, pod) (${held})`,
    gpuUtil: `avg by (namespace, pod) (avg_over_time(${held}[${period}]))`,
    // Held GPUs sampled every step over the period: GPU × step seconds, in hours.
    gpuHours: `sum by (namespace, pod) (sum_over_time((count by (namespace, pod) (${held}))[${period}:${step}s])) * ${step} / 3600`,
    outputTokens: `sum by (namespace, workspace) (increase(vllm:generation_tokens_total[${period}]))`,
    requests: `sum by (namespace, workspace) (increase(vllm:request_success_total[${period}]))`,
    ttftP95: `histogram_quantile(0.95, sum by (namespace, workspace, le) (rate(vllm:time_to_first_token_seconds_bucket[${period}])))`,
    recentRequests: `sum by (namespace, workspace) (increase(vllm:request_success_total[${idleHours}h]))`,
  };
}

export type FleetQueryName = keyof ReturnType<typeof fleetQueries>;
