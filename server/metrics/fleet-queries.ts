import "server-only";

import { FLEET_RECORDS, isRecordedPeriod, periodRecords } from "./fleet-recording-rules";
import { TIME_WINDOWS, type TimeWindow } from "./time-windows";

/** From this long an idle window on, "any request?" reads the hourly records when Prometheus has them. */
export const RECORDED_FROM_SECONDS = 6 * 3600;

/**
 * How far back a view looks for the latest recorded point: the rules are evaluated hourly, so two
 * hours still find one when an evaluation was missed.
 */
const LATEST_RECORD = "2h";

/**
 * The fleet page's PromQL: instant queries over the whole cluster, grouped by pod or Workspace.
 * With `recorded`, the 24 h and 7 d periods read the latest point of the fleet's period records
 * (./fleet-recording-rules.ts) instead of reading every raw sample of the period; the figures mean
 * the same, over the period up to the last hourly evaluation (up to an hour old).
 */
export function fleetQueries(period: TimeWindow, idleHours: number, recorded = false) {
  const { step } = TIME_WINDOWS[period];
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
  const latest = (record: string) => `last_over_time(${record}[${LATEST_RECORD}])`;
  const records = isRecordedPeriod(period) ? periodRecords(period) : undefined;
  return {
    gpus: raw.gpus,
    gpuUtil: records ? latest(records.gpuUtil.record) : raw.gpuUtil,
    gpuHours: records ? latest(records.gpuHours.record) : raw.gpuHours,
    outputTokens: records ? latest(records.outputTokens.record) : raw.outputTokens,
    requests: records ? latest(records.requests.record) : raw.requests,
    ttftP95: records ? latest(records.ttftP95.record) : raw.ttftP95,
    // Only "any request?" matters here, over any number of hours: the hourly records, or else the
    // last hour's raw counter, which the records may not cover yet.
    recentRequests:
      idleHours * 3600 >= RECORDED_FROM_SECONDS
        ? `sum by (namespace, workspace) (sum_over_time(${FLEET_RECORDS.requests.record}[${idleHours}h])) > 0 or sum by (namespace, workspace) (increase(vllm:request_success_total[1h]))`
        : raw.recentRequests,
  };
}

export type FleetQueryName = keyof ReturnType<typeof fleetQueries>;
