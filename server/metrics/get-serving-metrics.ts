import "server-only";

import { getPrometheusClient, type PrometheusClient } from "./prometheus-client";
import { inferenceSetCharts, servingCharts, type ChartSpec, type ChartUnit } from "./serving-charts";
import { windowRange, type TimeWindow } from "./time-windows";

export type ChartSeries = { label: string; promql: string; points: [seconds: number, value: number | null][] };

export type ServingChart = {
  id: string;
  title: string;
  unit: ChartUnit;
  source: string;
  /** The chart's PromQL, shown on request even when it found no series. */
  queries: { label: string; promql: string }[];
  series: ChartSeries[];
};

export type ServingMetrics = {
  namespace: string;
  name: string;
  window: TimeWindow;
  range: { start: number; end: number; step: number };
  charts: ServingChart[];
};

/**
 * The serving panel's data for one Workspace over a window: every chart's PromQL as a range
 * query, in parallel. Names are validated and quoted by ./promql.ts; Prometheus being absent or
 * down becomes an `unavailable` AppError ("Metrics unavailable: …").
 */
export async function getServingMetrics(
  input: { namespace: string; name: string; window: TimeWindow },
  prometheus: PrometheusClient = getPrometheusClient(),
  nowMs: number = Date.now(),
): Promise<ServingMetrics> {
  const specs = servingCharts(input.namespace, input.name, input.window);
  const range = windowRange(input.window, nowMs);
  const charts = await Promise.all(specs.map((spec) => chartOf(spec, prometheus, range)));
  return { ...input, range, charts };
}

/**
 * The panel for an InferenceSet: the same charts over its child Workspaces, a line per replica.
 * A set without children has charts without series, and Prometheus is not asked.
 */
export async function getInferenceSetServingMetrics(
  input: { namespace: string; name: string; window: TimeWindow; children: readonly string[] },
  prometheus: PrometheusClient = getPrometheusClient(),
  nowMs: number = Date.now(),
): Promise<ServingMetrics> {
  const { children, ...shown } = input;
  const range = windowRange(input.window, nowMs);
  if (children.length === 0) {
    const charts = servingCharts(input.namespace, input.name, input.window).map((spec) => ({
      ...spec,
      queries: [],
      series: [],
    }));
    return { ...shown, range, charts };
  }
  const specs = inferenceSetCharts(input.namespace, children, input.window);
  const charts = await Promise.all(specs.map((spec) => chartOf(spec, prometheus, range)));
  return { ...shown, range, charts };
}

async function chartOf(
  spec: ChartSpec,
  prometheus: PrometheusClient,
  range: ServingMetrics["range"],
): Promise<ServingChart> {
  const results = await Promise.all(spec.queries.map((q) => prometheus.range(q.promql, range)));
  const series = spec.queries.flatMap((query, i) =>
    results[i].map((s) => ({
      label: query.perPod
        ? (s.labels.pod ?? "unknown pod")
        : query.perWorkspace
          ? `${query.label} · ${s.labels.workspace ?? "unknown replica"}`
          : query.label,
      promql: query.promql,
      // histogram_quantile over no requests is NaN: a gap in the line, not a zero.
      points: s.points.map(([t, v]) => [t, Number.isFinite(v) ? v : null] as [number, number | null]),
    })),
  );
  const queries = spec.queries.map(({ label, promql }) => ({ label, promql }));
  return { id: spec.id, title: spec.title, unit: spec.unit, source: spec.source, queries, series };
}
