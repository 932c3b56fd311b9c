/**
 * `status.performance`: what upstream's post-load benchmark measured, and how its result reaches
 * the status — the leader pod's log line `KAITO_BENCHMARK_RESULT <time> {json}` (docs/kaito-api.md §3).
 */

/** One measured figure, as upstream v0.12 writes it. */
export type PerformanceMetric = {
  description: string;
  /** The number, written as a string. */
  value: string;
  unit?: string;
  config?: Record<string, string>;
};

export type WorkspacePerformance = { metrics?: Record<string, PerformanceMetric> };

/** Upstream's benchmark opt-out on a Workspace; an InferenceSet copies it onto each child. */
export const ANNOTATION_DISABLE_BENCHMARK = "kaito.sh/disable-benchmark";
export const METRIC_PEAK_TOKENS_PER_MINUTE = "peakTokensPerMinute";
export const BENCHMARK_DESCRIPTION = "stress/high-concurrency";
export const BENCHMARK_UNIT = "tokens/min";
export const BENCHMARK_RESULT_TAG = "KAITO_BENCHMARK_RESULT";
export const BENCHMARK_CONFIG_TAG = "KAITO_BENCHMARK_CONFIG";

/** Peak tokens per minute from a status, or undefined when no benchmark was recorded. */
export function peakTokensPerMinute(performance: WorkspacePerformance | undefined): number | undefined {
  const value = Number(performance?.metrics?.[METRIC_PEAK_TOKENS_PER_MINUTE]?.value);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** "3,072,000 tokens/min": a benchmark figure as the catalog and the detail page print it. */
export function formatTokensPerMinute(value: number): string {
  return `${Math.round(value).toLocaleString("en-US")} tokens/min`;
}
