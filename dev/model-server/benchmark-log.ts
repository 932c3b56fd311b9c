// What the double's pods "print": vLLM's start-up lines and the result of Kaito's post-load
// benchmark. KWOK serves this file as every pod's log (a ClusterLogs document in the cluster's
// configuration), so the controller reads the figure from the pod log as upstream does.

/** The double's pacing when its environment does not say otherwise (main.ts uses the same). */
export const MODEL_SERVER_DEFAULTS = { tokenDelayMs: 5, ttftMs: 20, maxConcurrency: 256 } as const;

export type Pacing = { tokenDelayMs: number; ttftMs: number; maxConcurrency: number };

/** The double's ceiling: every sequence slot streaming a token every tokenDelayMs, for a minute. */
export function peakTokensPerMinute(pacing: Pacing): number {
  return Math.round((pacing.maxConcurrency * 60_000) / Math.max(1, pacing.tokenDelayMs));
}

/** What the pod prints: vLLM's start-up, then benchmark_entrypoint.py's config and result lines. */
export function benchmarkLog(pacing: Pacing = MODEL_SERVER_DEFAULTS, now = new Date()): string {
  const at = now.toISOString().replace(/\.\d+Z$/, "Z");
  const config = { duration_sec: 60, input_tokens: 2048, output_tokens: 256, max_concurrency: pacing.maxConcurrency };
  const result = {
    vllm_total_tpm: peakTokensPerMinute(pacing),
    ttft_avg_ms: pacing.ttftMs,
    tpot_avg_ms: pacing.tokenDelayMs,
  };
  return [
    "INFO:     Started server process [1]",
    "INFO:     Application startup complete.",
    `KAITO_BENCHMARK_CONFIG ${at} ${JSON.stringify(config)}`,
    `KAITO_BENCHMARK_RESULT ${at} ${JSON.stringify(result)}`,
    "",
  ].join("\n");
}

/**
 * The same lines in the CRI log format a kubelet keeps on disk (`<time> stdout F <line>`), which
 * is the only format KWOK's log server reads; `kubectl logs` shows the lines themselves.
 */
export function benchmarkLogFile(pacing: Pacing = MODEL_SERVER_DEFAULTS, now = new Date()): string {
  const at = now.toISOString();
  return benchmarkLog(pacing, now)
    .split("\n")
    .filter(Boolean)
    .map((line) => `${at} stdout F ${line}\n`)
    .join("");
}
