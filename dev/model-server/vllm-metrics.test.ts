import { describe, expect, it } from "vitest";

import { sample } from "@/tests/support/prometheus-text";

import { VllmMetrics } from "./vllm-metrics";

const base = { model_name: "phi-3-mini-4k-instruct", engine: "0" };

function fakeClock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe("VllmMetrics", () => {
  it("exposes vLLM's families at zero before the first request", async () => {
    const text = await new VllmMetrics({
      modelName: base.model_name,
      kvCacheTokens: 1000,
      maxModelLen: 4096,
      adapters: [],
    }).render();
    expect(text).toContain("# TYPE vllm:time_to_first_token_seconds histogram");
    expect(text).toContain("# TYPE vllm:generation_tokens_total counter");
    expect(sample(text, "vllm:num_requests_running", base)).toBe(0);
    expect(sample(text, "vllm:num_requests_waiting", base)).toBe(0);
    expect(sample(text, "vllm:kv_cache_usage_perc", base)).toBe(0);
    expect(sample(text, "vllm:generation_tokens_total", base)).toBe(0);
    expect(sample(text, "vllm:request_success_total", { ...base, finished_reason: "stop" })).toBe(0);
    expect(sample(text, "vllm:time_to_first_token_seconds_count", base)).toBe(0);
    expect(text).not.toContain("vllm:lora_requests_info");
    expect(text).not.toContain("gpu_cache_usage_perc");
  });

  it("follows one request from the queue to its last token", async () => {
    const clock = fakeClock();
    const metrics = new VllmMetrics({
      modelName: base.model_name,
      kvCacheTokens: 100,
      maxModelLen: 4096,
      adapters: [],
    });
    const request = metrics.arrive(null, 20, clock.now);
    let text = await metrics.render();
    expect(sample(text, "vllm:num_requests_waiting", base)).toBe(1);
    expect(sample(text, "vllm:num_requests_running", base)).toBe(0);

    clock.advance(30);
    request.start();
    clock.advance(170);
    request.tokens(1);
    for (let i = 0; i < 4; i++) {
      clock.advance(50);
      request.tokens(1);
    }
    text = await metrics.render();
    expect(sample(text, "vllm:num_requests_running", base)).toBe(1);
    expect(sample(text, "vllm:num_requests_waiting", base)).toBe(0);
    expect(sample(text, "vllm:kv_cache_usage_perc", base)).toBe(0.25);
    expect(sample(text, "vllm:prompt_tokens_total", base)).toBe(20);
    expect(sample(text, "vllm:generation_tokens_total", base)).toBe(5);
    // 200 ms from arrival, queueing included: in the (0.1, 0.25] bucket.
    expect(sample(text, "vllm:time_to_first_token_seconds_bucket", { ...base, le: "0.1" })).toBe(0);
    expect(sample(text, "vllm:time_to_first_token_seconds_bucket", { ...base, le: "0.25" })).toBe(1);
    expect(sample(text, "vllm:time_per_output_token_seconds_count", base)).toBe(4);
    expect(sample(text, "vllm:time_per_output_token_seconds_bucket", { ...base, le: "0.05" })).toBe(4);

    request.finish("length");
    text = await metrics.render();
    expect(sample(text, "vllm:num_requests_running", base)).toBe(0);
    expect(sample(text, "vllm:kv_cache_usage_perc", base)).toBe(0);
    expect(sample(text, "vllm:request_success_total", { ...base, finished_reason: "length" })).toBe(1);
    expect(sample(text, "vllm:e2e_request_latency_seconds_count", base)).toBe(1);
    expect(sample(text, "vllm:e2e_request_latency_seconds_sum", base)).toBeCloseTo(0.4);
  });

  it("names the adapters in use in lora_requests_info, and forgets requests it refused", async () => {
    const metrics = new VllmMetrics({
      modelName: base.model_name,
      kvCacheTokens: 100,
      maxModelLen: 4096,
      adapters: ["sql-lora", "chat-lora"],
    });
    metrics.arrive("sql-lora", 5).start();
    metrics.arrive("chat-lora", 5);
    metrics.arrive(null, 5).drop();
    const text = await metrics.render();
    const info = text.split("\n").find((l) => l.startsWith("vllm:lora_requests_info{"));
    expect(info).toContain('running_lora_adapters="sql-lora"');
    expect(info).toContain('waiting_lora_adapters="chat-lora"');
    expect(info).toContain('max_lora="2"');
    expect(sample(text, "vllm:num_requests_waiting", base)).toBe(1);
    // Kept under the base model's name, as vLLM does: adapters are no model_name of their own.
    expect(text).not.toContain('model_name="sql-lora"');
  });
});
