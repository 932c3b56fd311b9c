import "server-only";

import {
  ANNOTATION_DISABLE_BENCHMARK,
  BENCHMARK_CONFIG_TAG,
  BENCHMARK_DESCRIPTION,
  BENCHMARK_RESULT_TAG,
  BENCHMARK_UNIT,
  METRIC_PEAK_TOKENS_PER_MINUTE,
  type PerformanceMetric,
  type WorkspacePerformance,
} from "@/lib/kaito/performance";
import { RUNTIME_VLLM } from "@/lib/kaito/runtime";
import type { KubeClient } from "@/server/kube/kube-client";
import type { Workspace } from "@/server/kube/types/workspace";

import { runtimeOf } from "./render-inference-statefulset";

/** What reading the benchmark gave: the figures for status.performance, or upstream's error text. */
export type BenchmarkOutcome = { performance: WorkspacePerformance } | { error: string };

// The result line is near the end of the model server's start-up; upstream reads the last 500.
const LOG_TAIL_LINES = 500;

/**
 * Upstream's rule: the benchmark runs unless `kaito.sh/disable-benchmark: "true"`, and only for a
 * preset on the vLLM runtime (a template or the transformers image has no benchmark entrypoint).
 */
export function shouldRunBenchmark(ws: Workspace): boolean {
  return (
    ws.metadata.annotations?.[ANNOTATION_DISABLE_BENCHMARK] !== "true" &&
    runtimeOf(ws) === RUNTIME_VLLM &&
    !!ws.inference?.preset
  );
}

/** `KAITO_BENCHMARK_RESULT <time> {json}` → the JSON, or "" when the line lacks a payload. */
function payloadAfter(line: string, tag: string): string | undefined {
  const at = line.indexOf(tag);
  if (at === -1) return undefined;
  const rest = line.slice(at + tag.length).trim();
  const space = rest.indexOf(" ");
  return space === -1 ? "" : rest.slice(space + 1).trim();
}

/**
 * The last KAITO_BENCHMARK_RESULT line of a log (an earlier one may be a failed probe's) and the
 * last KAITO_BENCHMARK_CONFIG, as upstream v0.12 parses them, with its error messages.
 */
export function parseBenchmarkLog(log: string): BenchmarkOutcome {
  let result: string | undefined;
  let config: string | undefined;
  for (const line of log.split("\n")) {
    const r = payloadAfter(line, BENCHMARK_RESULT_TAG);
    if (r) result = r;
    else {
      const c = payloadAfter(line, BENCHMARK_CONFIG_TAG);
      if (c) config = c;
    }
  }
  if (!result) return { error: `no ${BENCHMARK_RESULT_TAG} line found in pod logs` };
  let tpm: number;
  try {
    tpm = Number((JSON.parse(result) as { vllm_total_tpm?: unknown }).vllm_total_tpm);
  } catch (error) {
    return { error: `parsing benchmark result JSON ${JSON.stringify(result)}: ${(error as Error).message}` };
  }
  if (!(tpm > 0)) return { error: `benchmark failed: TPM value ${tpm} indicates a failed or incomplete run` };
  const metric: PerformanceMetric = { description: BENCHMARK_DESCRIPTION, value: String(tpm), unit: BENCHMARK_UNIT };
  const settings = config ? parseConfig(config) : undefined;
  if (settings) metric.config = settings;
  return { performance: { metrics: { [METRIC_PEAK_TOKENS_PER_MINUTE]: metric } } };
}

function parseConfig(payload: string): Record<string, string> | undefined {
  try {
    const c = JSON.parse(payload) as Record<string, unknown>;
    return {
      durationSec: String(c.duration_sec ?? 0),
      inputTokens: String(c.input_tokens ?? 0),
      outputTokens: String(c.output_tokens ?? 0),
      maxConcurrency: String(c.max_concurrency ?? 0),
    };
  } catch {
    return undefined;
  }
}

/** Reads the leader pod's log through the apiserver, as upstream does, and parses it. */
export async function readBenchmarkResult(client: KubeClient, ws: Workspace): Promise<BenchmarkOutcome> {
  const { namespace, name } = ws.metadata;
  const pod = `${name}-0`;
  let log: string;
  try {
    log = await client.request<string>({
      method: "GET",
      path: `/api/v1/namespaces/${namespace}/pods/${pod}/log`,
      query: { container: name, tailLines: LOG_TAIL_LINES },
      responseType: "text",
    });
  } catch (error) {
    return { error: `streaming logs for pod ${namespace}/${pod}: ${(error as Error).message}` };
  }
  const outcome = parseBenchmarkLog(log);
  return "error" in outcome ? { error: `pod ${namespace}/${pod}: ${outcome.error}` } : outcome;
}
