import { describe, expect, it } from "vitest";

import { AppError } from "@/server/errors";

import { quote, workspaceGpuSelector, workspaceSelector } from "./promql";
import { inferenceSetCharts, servingCharts } from "./serving-charts";
import { windowRange } from "./time-windows";

describe("PromQL from user input", () => {
  it("quotes validated names as label values", () => {
    expect(workspaceSelector("team-a", "phi-3")).toBe('{namespace="team-a",workspace="phi-3"}');
    expect(workspaceGpuSelector("team-a", "phi-3")).toBe('{namespace="team-a",pod=~"phi-3-[0-9]+"}');
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it.each([
    ['phi"} or vector(1) #', "name"],
    ["Phi", "name"],
    ["phi.v2", "name"],
    ["a".repeat(64), "name"],
    ["", "name"],
  ])("refuses %j as a Workspace name with a 400 naming the field", (bad, field) => {
    let error: unknown;
    try {
      workspaceSelector("team-a", bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).fieldErrors).toHaveProperty(field);
  });

  it("builds every chart of the panel from the one selector", () => {
    const charts = servingCharts("team-a", "phi", "24h");
    expect(charts.map((c) => c.id)).toEqual([
      "requests",
      "ttft",
      "tpot",
      "tokens",
      "kv-cache",
      "ttft-dashboard",
      "gpu-util",
      "gpu-memory",
    ]);
    const ttft = charts.find((c) => c.id === "ttft")!;
    expect(ttft.queries[1].promql).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{namespace="team-a",workspace="phi"}[20m])))',
    );
    for (const chart of charts) for (const q of chart.queries) expect(q.promql).not.toContain("team-b");
  });

  it("draws an InferenceSet's charts over its children, a line per replica", () => {
    const charts = inferenceSetCharts("team-a", ["llama-0", "llama-1"], "1h");
    expect(charts.map((c) => c.id)).toEqual(servingCharts("team-a", "llama", "1h").map((c) => c.id));
    const requests = charts.find((c) => c.id === "requests")!;
    expect(requests.queries[0]).toEqual({
      label: "running",
      promql: 'sum by (workspace) (vllm:num_requests_running{namespace="team-a",workspace=~"llama-0|llama-1"})',
      perWorkspace: true,
    });
    expect(charts.find((c) => c.id === "ttft")!.queries[1].promql).toBe(
      'histogram_quantile(0.95, sum by (workspace, le) (rate(vllm:time_to_first_token_seconds_bucket{namespace="team-a",workspace=~"llama-0|llama-1"}[2m])))',
    );
    expect(charts.find((c) => c.id === "gpu-util")!.queries[0].promql).toBe(
      'avg by (pod) (DCGM_FI_DEV_GPU_UTIL{namespace="team-a",pod=~"(llama-0|llama-1)-[0-9]+"})',
    );
    expect(() => inferenceSetCharts("team-a", ["llama-0", "x|.*"], "1h")).toThrow(AppError);
    expect(() => inferenceSetCharts("team-a", [], "1h")).toThrow(AppError);
  });

  it("ends windows now and steps them for about a hundred points or more", () => {
    const now = Date.UTC(2026, 11, 6, 10, 0, 0);
    expect(windowRange("15m", now)).toEqual({ start: now / 1000 - 900, end: now / 1000, step: 15 });
    expect(windowRange("7d", now).step).toBe(3600);
  });
});
