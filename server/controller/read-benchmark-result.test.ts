import { describe, expect, it } from "vitest";

import { computeWorkspaceStatus } from "./compute-workspace-status";
import { evaluateNodes } from "./evaluate-nodes";
import { parseBenchmarkLog, shouldRunBenchmark } from "./read-benchmark-result";
import { gpuNode, pod, readyNodeClaim, readyStatefulSet, seedWorkspace } from "./testing/fixtures";
import { validateWorkspace } from "./validate-workspace";

const line = (tpm: number) =>
  `KAITO_BENCHMARK_RESULT 2026-01-01T00:00:00Z {"vllm_total_tpm":${tpm},"ttft_avg_ms":1,"tpot_avg_ms":1}`;

describe("parseBenchmarkLog (upstream v0.12's parser)", () => {
  it("takes the last result line among noisy log lines", () => {
    const outcome = parseBenchmarkLog(`vllm starting\n${line(-1)}\n[info] loaded\n${line(99999)}\n[info] ready\n`);
    expect(outcome).toEqual({
      performance: {
        metrics: {
          peakTokensPerMinute: { description: "stress/high-concurrency", value: "99999", unit: "tokens/min" },
        },
      },
    });
  });

  it.each([
    ["no benchmark here\n", "no KAITO_BENCHMARK_RESULT line found in pod logs"],
    ["KAITO_BENCHMARK_RESULT 2026-01-01T00:00:00Z\n", "no KAITO_BENCHMARK_RESULT line found in pod logs"],
    [line(0), "benchmark failed: TPM value 0 indicates a failed or incomplete run"],
    [line(-1), "benchmark failed: TPM value -1 indicates a failed or incomplete run"],
  ])("refuses %j with upstream's message", (log, error) => {
    expect(parseBenchmarkLog(log)).toEqual({ error });
  });

  it('runs for a vLLM preset unless kaito.sh/disable-benchmark is "true"', () => {
    const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
    expect(shouldRunBenchmark(ws)).toBe(true);
    ws.metadata.annotations = { "kaito.sh/disable-benchmark": "true" };
    expect(shouldRunBenchmark(ws)).toBe(false);
    ws.metadata.annotations = { "kaito.sh/runtime": "transformers" };
    expect(shouldRunBenchmark(ws)).toBe(false);
  });
});

describe("the benchmark on the status", () => {
  function readyInput() {
    const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
    const labels = { apps: "phi-3", "node.kubernetes.io/instance-type": "Standard_NC6s_v3" };
    const nodes = evaluateNodes({
      ws,
      nodes: [gpuNode("n1", labels)],
      nodeClaims: [readyNodeClaim("wsabc", ws, "n1")],
      mode: "nodeclaim",
    });
    const running = pod(`${ws.metadata.name}-0`, ws, {
      phase: "Running",
      conditions: [{ type: "Ready", status: "True" }],
    });
    return {
      ws,
      validation: validateWorkspace(ws),
      nodes,
      statefulSet: readyStatefulSet(ws),
      pods: [running],
      now: "2026-01-01T00:05:00Z",
    };
  }

  it("records peakTokensPerMinute and BenchmarkCompleted, and keeps both on later passes", () => {
    const input = readyInput();
    const first = computeWorkspaceStatus({ ...input, benchmark: parseBenchmarkLog(line(1234.5)) });
    expect(first.state).toBe("Ready");
    expect(first.performance?.metrics?.peakTokensPerMinute?.value).toBe("1234.5");
    expect(first.conditions?.find((c) => c.type === "BenchmarkCompleted")).toMatchObject({
      status: "True",
      reason: "BenchmarkCompleted",
      message: "benchmark result has been recorded",
    });
    input.ws.status = first;
    const later = computeWorkspaceStatus({ ...input, now: "2026-01-01T01:00:00Z" });
    expect(later.performance).toEqual(first.performance);
    expect(later.conditions).toEqual(first.conditions);
  });

  it("is NotReady with reason BenchmarkFailed when the result cannot be read, as upstream writes it", () => {
    const error =
      'streaming logs for pod default/workspace-phi-3-mini-0: no logs found for container "workspace-phi-3-mini" in pod "default/workspace-phi-3-mini-0"';
    const status = computeWorkspaceStatus({ ...readyInput(), benchmark: { error } });
    expect(status.state).toBe("NotReady");
    expect(status.performance).toBeUndefined();
    for (const type of ["BenchmarkCompleted", "WorkspaceSucceeded"])
      expect(status.conditions?.find((c) => c.type === type)).toMatchObject({
        status: "False",
        reason: "BenchmarkFailed",
        message: error.slice(0, 256),
      });
    expect(status.conditions?.find((c) => c.type === "InferenceReady")?.status).toBe("True");
  });
});
