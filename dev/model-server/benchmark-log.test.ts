import { describe, expect, it } from "vitest";

import { parseBenchmarkLog } from "@/server/controller/read-benchmark-result";

import { benchmarkLog, benchmarkLogFile, MODEL_SERVER_DEFAULTS, peakTokensPerMinute } from "./benchmark-log";

describe("the double's benchmark log", () => {
  it("reports its ceiling in upstream's KAITO_BENCHMARK_RESULT line, which the controller parses", () => {
    const log = benchmarkLog(MODEL_SERVER_DEFAULTS, new Date("2026-12-06T09:00:00.123Z"));
    expect(log).toContain(
      'KAITO_BENCHMARK_RESULT 2026-12-06T09:00:00Z {"vllm_total_tpm":3072000,"ttft_avg_ms":20,"tpot_avg_ms":5}',
    );
    expect(parseBenchmarkLog(log)).toEqual({
      performance: {
        metrics: {
          peakTokensPerMinute: {
            description: "stress/high-concurrency",
            value: "3072000",
            unit: "tokens/min",
            config: { durationSec: "60", inputTokens: "2048", outputTokens: "256", maxConcurrency: "256" },
          },
        },
      },
    });
  });

  it("writes the file KWOK serves in the CRI log format, one stdout record per line", () => {
    const file = benchmarkLogFile(MODEL_SERVER_DEFAULTS, new Date("2026-12-06T09:00:00.123Z"));
    const records = file.trimEnd().split("\n");
    expect(records).toHaveLength(4);
    for (const record of records) expect(record).toMatch(/^2026-12-06T09:00:00\.123Z stdout F \S/);
    expect(records[3]).toMatch(/ stdout F KAITO_BENCHMARK_RESULT 2026-12-06T09:00:00Z \{"vllm_total_tpm":3072000,/);
  });

  it("scales with the double's pacing", () => {
    expect(peakTokensPerMinute({ tokenDelayMs: 20, ttftMs: 0, maxConcurrency: 8 })).toBe(24_000);
  });
});
