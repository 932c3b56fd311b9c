import "server-only";

import { FLEET_RECORDS } from "./fleet-recording-rules";
import { TIME_WINDOWS, type TimeWindow } from "./time-windows";

/** From this long a window on, the fleet reads the hourly recorded series when Prometheus has them. */
export const RECORDED_FROM_SECONDS = 6 * 3600;

/**
 * The fleet page's PromQL: instant queries over the whole cluster, grouped by pod or Workspace.
 * With `recorded`, windows of 6 h and more sum the fleet's hourly recording rules
 * (./fleet-recording-rules.ts) instead of reading every raw sample; the figures mean the same,
 * over the whole hours evaluated so far (the last one may be up to an hour old).
 */
export function fleetQueries(period: TimeWindow, idleHours: number, recorded = false) {
  const { step, seconds } = TIME_WINDOWS[period];
  const held = 'DCGM_FI_DEV_GPU_UTIL{pod!=""}';
  const raw = {
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
  if (!recorded) return raw;
  const sumOver = (record: string, range: string, by: string) => `sum by (${by}) (sum_over_time(${record}[${range}]))`;
  const long = seconds >= RECORDED_FROM_SECONDS;
  return {
    gpus: raw.gpus,
    gpuUtil: long ? `avg by (namespace, pod) (avg_over_time(${FLEET_RECORDS.gpuUtil.record}[${period}]))` : raw.gpuUtil,
    gpuHours: long ? sumOver(FLEET_RECORDS.gpuHours.record, period, "namespace, pod") : raw.gpuHours,
    outputTokens: long ? sumOver(FLEET_RECORDS.outputTokens.record, period, "namespace, workspace") : raw.outputTokens,
    requests: long ? sumOver(FLEET_RECORDS.requests.record, period, "namespace, workspace") : raw.requests,
    // A quantile of the summed hourly increases is the quantile of the rate over the period.
    ttftP95: long
      ? `histogram_quantile(0.95, ${sumOver(FLEET_RECORDS.ttftBuckets.record, period, "namespace, workspace, le")})`
      : raw.ttftP95,
    // Only "any request?" matters here: the recorded hours, or else the last hour's raw counter,
    // which the records may not cover yet.
    recentRequests:
      idleHours * 3600 >= RECORDED_FROM_SECONDS
        ? `${sumOver(FLEET_RECORDS.requests.record, `${idleHours}h`, "namespace, workspace")} > 0 or sum by (namespace, workspace) (increase(vllm:request_success_total[1h]))`
        : raw.recentRequests,
  };
}

export type FleetQueryName = keyof ReturnType<typeof fleetQueries>;
