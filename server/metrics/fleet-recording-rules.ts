// No "server-only": the chart's copy (charts/kaito-dashboard/files/), the local Prometheus
// (dev/prometheus) and the bench's backfill render the same rules from here.
import { stringify } from "yaml";

/**
 * The fleet's recording rules: hourly per-pod and per-Workspace figures, so that the fleet's
 * 24 h and 7 d queries sum 24 or 168 points per Workspace instead of reading every raw sample of
 * the period. Names follow Prometheus's `level:metric:operations` convention.
 */
export const FLEET_RULE_GROUP = "kaito-dashboard.fleet";
export const FLEET_RULE_INTERVAL_SECONDS = 3600;

const held = 'DCGM_FI_DEV_GPU_UTIL{pod!=""}';

export const FLEET_RECORDS = {
  /** Mean utilisation of a pod's GPUs over the hour, 0–100. */
  gpuUtil: {
    record: "namespace_pod:DCGM_FI_DEV_GPU_UTIL:avg1h",
    expr: `avg by (namespace, pod) (avg_over_time(${held}[1h]))`,
  },
  /**
   * GPU-hours a pod held in the hour: its GPUs counted every 5 min. The range is 59m59s because
   * Prometheus 2's ranges include both ends: [1h:5m] at a 5-minute boundary would count 13 points.
   */
  gpuHours: {
    record: "namespace_pod:dcgm_gpus_held:gpu_hours1h",
    expr: `sum_over_time((count by (namespace, pod) (${held}))[59m59s:5m]) * 300 / 3600`,
  },
  outputTokens: {
    record: "namespace_workspace:vllm_generation_tokens:increase1h",
    expr: "sum by (namespace, workspace) (increase(vllm:generation_tokens_total[1h]))",
  },
  requests: {
    record: "namespace_workspace:vllm_request_success:increase1h",
    expr: "sum by (namespace, workspace) (increase(vllm:request_success_total[1h]))",
  },
  ttftBuckets: {
    record: "namespace_workspace_le:vllm_time_to_first_token_seconds_bucket:increase1h",
    expr: "sum by (namespace, workspace, le) (increase(vllm:time_to_first_token_seconds_bucket[1h]))",
  },
} as const;

/**
 * The rule group as Prometheus (rule_files) and the PrometheusRule's spec.groups take it. Only a
 * test evaluates it more often (`interval`), to see the rules evaluate without waiting an hour.
 */
export function fleetRuleGroup(interval = `${FLEET_RULE_INTERVAL_SECONDS / 3600}h`) {
  return {
    name: FLEET_RULE_GROUP,
    interval,
    rules: Object.values(FLEET_RECORDS).map(({ record, expr }) => ({ record, expr })),
  };
}

/** The chart's copy, which helm reads with .Files.Get (a unit test keeps it equal to this). */
export const CHART_RULE_FILE = "charts/kaito-dashboard/files/fleet-recording-rules.yaml";

/** A Prometheus rule file holding only the fleet's group. */
export function renderFleetRuleFile(interval?: string): string {
  return (
    "# Rendered from server/metrics/fleet-recording-rules.ts; edit there and copy its renderFleetRuleFile().\n" +
    stringify({ groups: [fleetRuleGroup(interval)] }, { lineWidth: 0 })
  );
}
