// No "server-only": the chart's copy (charts/kaito-dashboard/files/), the local Prometheus
// (dev/prometheus) and the bench's backfill render the same rules from here.
import { stringify } from "yaml";

/**
 * The fleet's recording rules, in two levels evaluated hourly in one group (rules of a group run
 * in order, so the second level reads the first level's point of the same evaluation):
 * - hourly per-pod and per-Workspace figures (FLEET_RECORDS);
 * - the same figures over the fleet's long periods, 24 h and 7 d (FLEET_PERIOD_RECORDS), summed
 *   from the hourly ones, so that a fleet view reads one point per Workspace and figure instead of
 *   summing 168 hourly points of 23 TTFT buckets per Workspace (seconds at 1,000 Workspaces).
 * Names follow Prometheus's `level:metric:operations` convention.
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

/** The fleet's periods that read recorded figures. */
export const RECORDED_PERIODS = ["24h", "7d"] as const;
export type RecordedPeriod = (typeof RECORDED_PERIODS)[number];
export const isRecordedPeriod = (period: string): period is RecordedPeriod =>
  (RECORDED_PERIODS as readonly string[]).includes(period);

type Rule = { record: string; expr: string };
export type PeriodFigure = "gpuUtil" | "gpuHours" | "outputTokens" | "requests" | "ttftP95";

/** The hourly records summed over a period, one record per figure. */
export function periodRecords(period: RecordedPeriod): Record<PeriodFigure, Rule> {
  const sumOver = (record: string, by: string) => `sum by (${by}) (sum_over_time(${record}[${period}]))`;
  return {
    gpuUtil: {
      record: `namespace_pod:DCGM_FI_DEV_GPU_UTIL:avg${period}`,
      expr: `avg by (namespace, pod) (avg_over_time(${FLEET_RECORDS.gpuUtil.record}[${period}]))`,
    },
    gpuHours: {
      record: `namespace_pod:dcgm_gpus_held:gpu_hours${period}`,
      expr: sumOver(FLEET_RECORDS.gpuHours.record, "namespace, pod"),
    },
    outputTokens: {
      record: `namespace_workspace:vllm_generation_tokens:increase${period}`,
      expr: sumOver(FLEET_RECORDS.outputTokens.record, "namespace, workspace"),
    },
    requests: {
      record: `namespace_workspace:vllm_request_success:increase${period}`,
      expr: sumOver(FLEET_RECORDS.requests.record, "namespace, workspace"),
    },
    // A quantile of the summed hourly bucket increases is the quantile over the whole period.
    ttftP95: {
      record: `namespace_workspace:vllm_time_to_first_token_seconds:p95_${period}`,
      expr: `histogram_quantile(0.95, ${sumOver(FLEET_RECORDS.ttftBuckets.record, "namespace, workspace, le")})`,
    },
  };
}

/**
 * The group's last rule: the time of its evaluation, one series. Its latest point says that the
 * records exist and when the figures read from them end.
 */
export const FLEET_EVALUATED: Rule = {
  record: "kaito_dashboard:fleet_records:last_evaluation_seconds",
  expr: "vector(time())",
};

export const FLEET_HOURLY_RULES: Rule[] = Object.values(FLEET_RECORDS).map(({ record, expr }) => ({ record, expr }));
export const FLEET_PERIOD_RULES: Rule[] = [
  ...RECORDED_PERIODS.flatMap((p) => Object.values(periodRecords(p))),
  FLEET_EVALUATED,
];

/**
 * The rule group as Prometheus (rule_files) and the PrometheusRule's spec.groups take it. Only
 * tests evaluate it more often (`interval`), and Prometheus's rule backfill takes one level at a
 * time (`rules`): it cannot read what it has not written yet.
 */
export function fleetRuleGroup(
  interval = `${FLEET_RULE_INTERVAL_SECONDS / 3600}h`,
  rules: Rule[] = [...FLEET_HOURLY_RULES, ...FLEET_PERIOD_RULES],
) {
  return { name: FLEET_RULE_GROUP, interval, rules };
}

/** The chart's copy, which helm reads with .Files.Get (a unit test keeps it equal to this). */
export const CHART_RULE_FILE = "charts/kaito-dashboard/files/fleet-recording-rules.yaml";

/** A Prometheus rule file holding only the fleet's group. */
export function renderFleetRuleFile(interval?: string, rules?: Rule[]): string {
  return (
    "# Rendered from server/metrics/fleet-recording-rules.ts; edit there and copy its renderFleetRuleFile().\n" +
    stringify({ groups: [fleetRuleGroup(interval, rules)] }, { lineWidth: 0 })
  );
}
