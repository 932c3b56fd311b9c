import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { fleetQueries } from "./fleet-queries";
import {
  CHART_RULE_FILE,
  FLEET_EVALUATED,
  FLEET_HOURLY_RULES,
  FLEET_PERIOD_RULES,
  FLEET_RECORDS,
  fleetRuleGroup,
  periodRecords,
  renderFleetRuleFile,
} from "./fleet-recording-rules";
import type { PrometheusClient } from "./prometheus-client";
import { lastFleetEvaluation, queryFleetSeries } from "./query-fleet-series";

const records = Object.values(FLEET_RECORDS).map((r) => r.record);

describe("fleet recording rules", () => {
  it("ships in the chart exactly as rendered here", () => {
    const chartCopy = readFileSync(path.resolve(import.meta.dirname, "../..", CHART_RULE_FILE), "utf8");
    expect(chartCopy).toBe(renderFleetRuleFile());
    expect(parse(chartCopy)).toEqual({ groups: [fleetRuleGroup()] });
  });

  it("names every record level:metric:operations, evaluated hourly, the hourly level first", () => {
    const group = fleetRuleGroup();
    expect(group.interval).toBe("1h");
    for (const record of records) expect(record).toMatch(/^[a-z_]+:[A-Za-z_]+:[a-z_]+1h$/);
    const periodRules = FLEET_PERIOD_RULES.filter((r) => r !== FLEET_EVALUATED);
    for (const { record } of periodRules) expect(record).toMatch(/^[a-z_]+:[A-Za-z_]+:[a-z0-9_]+(24h|7d)$/);
    // Rules of a group run in order: each period record must come after the hourly ones it sums.
    expect(group.rules.map((r) => r.record)).toEqual([...records, ...FLEET_PERIOD_RULES.map((r) => r.record)]);
    for (const { expr } of periodRules) {
      expect(records.some((record) => expr.includes(`${record}[`))).toBe(true);
      // No raw series: those are the hourly level's to read.
      expect(expr).not.toMatch(/vllm:|DCGM_FI_DEV_GPU_UTIL\{/);
    }
    expect(FLEET_HOURLY_RULES).toHaveLength(records.length);
  });

  it("sums the hourly records over the period, the TTFT p95 from the summed buckets", () => {
    const week = periodRecords("7d");
    expect(week.outputTokens).toEqual({
      record: "namespace_workspace:vllm_generation_tokens:increase7d",
      expr: "sum by (namespace, workspace) (sum_over_time(namespace_workspace:vllm_generation_tokens:increase1h[7d]))",
    });
    expect(week.ttftP95.expr).toBe(
      "histogram_quantile(0.95, sum by (namespace, workspace, le) (sum_over_time(namespace_workspace_le:vllm_time_to_first_token_seconds_bucket:increase1h[7d])))",
    );
    expect(week.gpuUtil.expr).toBe(
      "avg by (namespace, pod) (avg_over_time(namespace_pod:DCGM_FI_DEV_GPU_UTIL:avg1h[7d]))",
    );
    expect(periodRecords("24h").gpuHours.expr).toContain("namespace_pod:dcgm_gpus_held:gpu_hours1h[24h]");
  });

  it("reads the latest period record for 24 h and 7 d and the raw series for shorter windows", () => {
    const week = fleetQueries("7d", 24, true);
    expect(week.outputTokens).toBe("last_over_time(namespace_workspace:vllm_generation_tokens:increase7d[2h])");
    expect(week.ttftP95).toBe("last_over_time(namespace_workspace:vllm_time_to_first_token_seconds:p95_7d[2h])");
    expect(week.gpuHours).toBe("last_over_time(namespace_pod:dcgm_gpus_held:gpu_hours7d[2h])");
    expect(week.gpuUtil).toBe("last_over_time(namespace_pod:DCGM_FI_DEV_GPU_UTIL:avg7d[2h])");
    // Requests of the hour the records may not cover yet still count against "idle".
    expect(week.recentRequests).toBe(
      "sum by (namespace, workspace) (sum_over_time(namespace_workspace:vllm_request_success:increase1h[24h])) > 0 or sum by (namespace, workspace) (increase(vllm:request_success_total[1h]))",
    );
    expect(week.gpus).toBe(fleetQueries("7d", 24).gpus);
    expect(fleetQueries("24h", 24, true).requests).toBe(
      "last_over_time(namespace_workspace:vllm_request_success:increase24h[2h])",
    );

    const hour = fleetQueries("1h", 2, true);
    expect(hour).toEqual(fleetQueries("1h", 2));
    const allRecords = [...records, ...FLEET_PERIOD_RULES.map((r) => r.record)];
    for (const promql of Object.values(hour)) for (const record of allRecords) expect(promql).not.toContain(record);
    for (const promql of Object.values(fleetQueries("7d", 24)))
      expect(promql).not.toMatch(/:increase|:avg|:gpu_hours|:p95/);
  });
});

/** A Prometheus whose rules were last evaluated at `evaluatedAt` (never if null); records the calls. */
function prometheusWith(evaluatedAt: number | null) {
  const asked: string[] = [];
  const client: PrometheusClient = {
    instant: async (promql: string) => {
      asked.push(promql);
      return promql.includes(FLEET_EVALUATED.record) && evaluatedAt !== null
        ? [{ labels: {}, points: [[1000, evaluatedAt]] }]
        : [];
    },
    range: async () => [],
  } as unknown as PrometheusClient;
  return { client, asked };
}

describe("choosing recorded or raw series", () => {
  it("reads when the rules were last evaluated, from the group's last rule, on every view", async () => {
    expect(fleetRuleGroup().rules.at(-1)).toEqual(FLEET_EVALUATED);
    const { client, asked } = prometheusWith(800);
    expect(await lastFleetEvaluation(client, 1000)).toBe(800);
    expect(await lastFleetEvaluation(client, 1000)).toBe(800);
    expect(asked).toEqual([
      "last_over_time(kaito_dashboard:fleet_records:last_evaluation_seconds[2h])",
      "last_over_time(kaito_dashboard:fleet_records:last_evaluation_seconds[2h])",
    ]);
    expect(await lastFleetEvaluation(prometheusWith(null).client, 1000)).toBeNull();
  });

  it("falls back to the raw queries on a Prometheus without the rules", async () => {
    const without = prometheusWith(null);
    const raw = await queryFleetSeries(without.client, { period: "7d", idleHours: 24 }, 1000);
    expect(raw.recordedAt).toBeNull();
    expect(raw.queries).toEqual(fleetQueries("7d", 24));
    expect(without.asked.slice(1)).toEqual(Object.values(fleetQueries("7d", 24)));

    const withRules = prometheusWith(800);
    const fast = await queryFleetSeries(withRules.client, { period: "7d", idleHours: 24 }, 1000, [
      "gpus",
      "recentRequests",
    ]);
    expect(fast.recordedAt).toBe(800);
    expect(fast.queries).toEqual(fleetQueries("7d", 24, true));
    expect(withRules.asked.slice(1)).toEqual([fast.queries.gpus, fast.queries.recentRequests]);
    expect(fast.results.outputTokens).toEqual([]);
  });
});
