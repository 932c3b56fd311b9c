import { describe, expect, it } from "vitest";

import { sample } from "@/tests/support/prometheus-text";

import { createProxyMetrics, observeProxyUsage } from "./proxy-metrics";

const record = {
  userId: "u1",
  tokenId: null,
  namespace: "team-a",
  workspace: "phi",
  endpoint: "chat",
  model: "phi-3-mini-4k-instruct",
  stream: true,
  status: 200,
  errorCode: null,
  promptTokens: 12,
  completionTokens: 40,
  usageEstimated: false,
  ttftMs: 180,
  durationMs: 900,
  promptText: null,
  responseText: null,
};

describe("proxy metrics", () => {
  it("counts requests by code and tokens per Workspace and user, and times them", async () => {
    const metrics = createProxyMetrics();
    observeProxyUsage(record, metrics);
    observeProxyUsage({ ...record, status: 429, promptTokens: null, completionTokens: null, ttftMs: null }, metrics);
    const text = await metrics.registry.metrics();
    const who = { namespace: "team-a", workspace: "phi", user: "u1" };
    expect(sample(text, "kaito_dashboard_inference_requests_total", { ...who, code: "200" })).toBe(1);
    expect(sample(text, "kaito_dashboard_inference_requests_total", { ...who, code: "429" })).toBe(1);
    expect(sample(text, "kaito_dashboard_inference_tokens_total", { ...who, kind: "completion" })).toBe(40);
    const where = { namespace: "team-a", workspace: "phi" };
    expect(sample(text, "kaito_dashboard_inference_time_to_first_token_seconds_count", where)).toBe(1);
    expect(sample(text, "kaito_dashboard_inference_time_to_first_token_seconds_bucket", { ...where, le: "0.1" })).toBe(
      0,
    );
    expect(sample(text, "kaito_dashboard_inference_time_to_first_token_seconds_bucket", { ...where, le: "0.25" })).toBe(
      1,
    );
    expect(sample(text, "kaito_dashboard_inference_request_duration_seconds_count", where)).toBe(2);
  });
});
