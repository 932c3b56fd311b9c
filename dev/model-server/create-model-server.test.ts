import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sample } from "@/tests/support/prometheus-text";

import { createModelServer } from "./create-model-server";
import { pathModelSource } from "./workspace-models";

const double = createModelServer({
  ttftMs: 5,
  tokenDelayMs: 1,
  maxConcurrency: 1,
  maxQueue: 1,
  defaultModel: "phi-3-mini-4k-instruct",
  models: pathModelSource(),
});
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => double.server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(double.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  double.closeAll();
  await new Promise((resolve) => double.server.close(resolve));
});

const chat = (path: string, body: Record<string, unknown>, signal?: AbortSignal) =>
  fetch(`${base}${path}`, { method: "POST", body: JSON.stringify(body), signal });

describe("model-server double", () => {
  it("streams the same answer it returns unstreamed, ending with usage and [DONE]", async () => {
    const body = { messages: [{ role: "user", content: "hello" }], max_tokens: 8 };
    const plain = await (await chat("/ws/team-a/phi/v1/chat/completions", { ...body, model: "phi" })).json();
    const streamed = await (
      await chat("/ws/team-a/phi/v1/chat/completions", {
        ...body,
        stream: true,
        stream_options: { include_usage: true },
      })
    ).text();
    const events = streamed.split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice("data: ".length)));
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
    expect(text).toBe(plain.choices[0].message.content);
    expect(text.startsWith("Echo from phi:")).toBe(true);
    expect(chunks.at(-1).usage).toEqual(plain.usage);
    expect(plain.usage.completion_tokens).toBe(8);
  });

  it("answers 429 once running and queued slots are taken", async () => {
    const abort = new AbortController();
    const long = { messages: [{ role: "user", content: "x" }], max_tokens: 500, ignore_eos: true, stream: true };
    const first = await chat("/v1/chat/completions", long, abort.signal);
    const second = chat("/v1/chat/completions", long, abort.signal).catch(() => null);
    await new Promise((r) => setTimeout(r, 20));
    const third = await chat("/v1/chat/completions", long);
    expect(third.status).toBe(429);
    expect((await third.json()).message).toMatch(/queue is full/);
    abort.abort();
    await first.body?.cancel().catch(() => {});
    await second;
  });

  it("rejects unknown models like vLLM and fails on demand", async () => {
    const unknown = await chat("/v1/chat/completions", { model: "gpt-4", messages: [{ role: "user", content: "x" }] });
    expect(unknown.status).toBe(404);
    await fetch(`${base}/_double/faults`, {
      method: "POST",
      body: JSON.stringify({ target: "ns/broken", mode: "fail" }),
    });
    const failed = await chat("/ws/ns/broken/v1/completions", { prompt: "x" });
    expect(failed.status).toBe(500);
    const healthy = await chat("/ws/ns/fine/v1/completions", { prompt: "x", max_tokens: 2 });
    expect(healthy.status).toBe(200);
  });

  it("keeps the legacy /chat endpoint", async () => {
    const res = await chat("/chat", { prompt: "What is Kubernetes?" });
    expect(Object.keys(await res.json())).toEqual(["Result"]);
  });
});

describe("model-server double metrics", () => {
  const phi = { model_name: "phi", engine: "0" };
  const scrape = async (workspace: string) => (await fetch(`${base}/ws/${workspace}/metrics`)).text();

  it("reports each workspace's own load on its /metrics, as one vLLM pod per workspace would", async () => {
    const abort = new AbortController();
    const long = { messages: [{ role: "user", content: "x" }], max_tokens: 500, ignore_eos: true, stream: true };
    const streaming = await chat("/ws/team-m/phi/v1/chat/completions", long, abort.signal);
    const reader = streaming.body!.getReader();
    await reader.read();
    await reader.read();
    expect(sample(await scrape("team-m/phi"), "vllm:num_requests_running", phi)).toBe(1);
    expect(sample(await scrape("team-n/phi"), "vllm:num_requests_running", phi)).toBe(0);
    expect((await (await fetch(`${base}/_double/load`)).json())["team-m/phi"].running).toBe(1);
    abort.abort();
    await reader.cancel().catch(() => {});
    for (let i = 0; i < 50 && sample(await scrape("team-m/phi"), "vllm:num_requests_running", phi) !== 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    const after = await scrape("team-m/phi");
    expect(sample(after, "vllm:num_requests_running", phi)).toBe(0);
    expect(sample(after, "vllm:request_success_total", { ...phi, finished_reason: "abort" })).toBe(1);
  });

  it("counts the tokens and the time to first token it served", async () => {
    const answer = await (
      await chat("/ws/team-t/phi/v1/chat/completions", { messages: [{ role: "user", content: "hi" }], max_tokens: 6 })
    ).json();
    const text = await scrape("team-t/phi");
    expect(sample(text, "vllm:generation_tokens_total", phi)).toBe(answer.usage.completion_tokens);
    expect(sample(text, "vllm:prompt_tokens_total", phi)).toBe(answer.usage.prompt_tokens);
    expect(sample(text, "vllm:time_to_first_token_seconds_count", phi)).toBe(1);
    // The double was configured for a 5 ms time to first token: above the first bucket, well within 0.1 s.
    expect(sample(text, "vllm:time_to_first_token_seconds_bucket", { ...phi, le: "0.001" })).toBe(0);
    expect(sample(text, "vllm:time_to_first_token_seconds_bucket", { ...phi, le: "0.1" })).toBe(1);
    expect(sample(text, "vllm:request_success_total", { ...phi, finished_reason: "length" })).toBe(1);
  });
});
