import http from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createModelServer } from "@/dev/model-server/create-model-server";
import { pathModelSource } from "@/dev/model-server/workspace-models";
import { waitFor } from "@/tests/support/wait-for";

import { AppError } from "@/server/errors";

import type { InferenceConfig } from "./config";
import { createInferenceProxy } from "./create-inference-proxy";
import type { InferenceWorkspace, UsageRecord } from "./inference-types";
import { createEndpointResolver } from "./resolve-endpoint";

const double = createModelServer({
  ttftMs: 5,
  tokenDelayMs: 2,
  maxConcurrency: 4,
  maxQueue: 0,
  defaultModel: "unused",
  models: pathModelSource(),
});

const workspace = (name: string, ready: boolean): InferenceWorkspace => ({
  metadata: { namespace: "team", name },
  inference: { preset: { name: "phi-3-mini-4k-instruct" } },
  status: { conditions: [{ type: "InferenceReady", status: ready ? "True" : "False" }] },
});
const workspaces = new Map([
  ["team/phi", workspace("phi", true)],
  ["team/cold", workspace("cold", false)],
]);
const usage: UsageRecord[] = [];
let proxyBase = "";
let doubleBase = "";
let proxyServer: http.Server;

beforeAll(async () => {
  await new Promise<void>((resolve) => double.server.listen(0, "127.0.0.1", resolve));
  doubleBase = `http://127.0.0.1:${(double.server.address() as AddressInfo).port}`;
  const config: InferenceConfig = {
    mode: "static",
    staticUrlTemplate: `${doubleBase}/ws/{namespace}/{name}`,
    maxBodyBytes: 10_000,
    responseTimeoutMs: 300,
    idleTimeoutMs: 300,
    rateLimitPerMinute: 1000,
    recordContent: false,
  };
  const handler = createInferenceProxy({
    config,
    authorize: async ({ headers }) => {
      if (headers.get("authorization") !== "Bearer kd_good") throw new AppError("unauthenticated", "no token");
      return { userId: "u1" };
    },
    workspaces: {
      get: (ns, name) => workspaces.get(`${ns}/${name}`),
      list: () => [...workspaces.values()],
      ready: async () => {},
    },
    resolve: createEndpointResolver(config),
    recordUsage: async (record) => void usage.push(record),
    log: () => {},
  });
  proxyServer = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => proxyServer.listen(0, "127.0.0.1", resolve));
  proxyBase = `http://127.0.0.1:${(proxyServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  double.closeAll();
  proxyServer.closeAllConnections();
  await Promise.all([new Promise((r) => double.server.close(r)), new Promise((r) => proxyServer.close(r))]);
});

beforeEach(async () => {
  usage.length = 0;
  double.faults.clear();
});

const call = (path: string, body?: unknown, init: RequestInit = {}) =>
  fetch(`${proxyBase}${path}`, {
    method: body === undefined ? "GET" : "POST",
    body: body === undefined ? undefined : JSON.stringify(body),
    ...init,
    headers: { authorization: "Bearer kd_good", ...init.headers },
  });

const chatBody = { model: "phi", messages: [{ role: "user", content: "hi" }], max_tokens: 6 };

// The proxy records usage after answering: poll for it briefly.
const POLL = { timeoutMs: 2_000, intervalMs: 20 };

describe("inference proxy", () => {
  it("streams the model's SSE unchanged and records usage", async () => {
    const direct = await (
      await fetch(`${doubleBase}/ws/team/phi/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ ...chatBody, stream: true, stream_options: { include_usage: true } }),
      })
    ).text();
    const res = await call("/api/inference/team/phi/v1/chat/completions", {
      ...chatBody,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const proxied = await res.text();
    const strip = (s: string) => s.replace(/"id":"[^"]+"|"created":\d+/g, "");
    expect(strip(proxied)).toBe(strip(direct));
    await waitFor("the usage record", () => usage.length === 1, POLL);
    expect(usage[0]).toMatchObject({
      namespace: "team",
      workspace: "phi",
      status: 200,
      stream: true,
      completionTokens: 6,
      promptTokens: 1,
      usageEstimated: false,
      promptText: null,
    });
    expect(usage[0].ttftMs).toBeGreaterThanOrEqual(5);
  });

  it("counts tokens as an estimate when the stream carries no usage", async () => {
    await (await call("/api/inference/team/phi/v1/chat/completions", { ...chatBody, stream: true })).text();
    await waitFor("the usage record", () => usage.length === 1, POLL);
    expect(usage[0]).toMatchObject({ completionTokens: 6, usageEstimated: true });
  });

  it("refuses callers without a valid token", async () => {
    const res = await call("/api/inference/team/phi/v1/models", undefined, {
      headers: { authorization: "Bearer nope" },
    });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthenticated");
  });

  it("refuses a workspace that is not ready or does not exist", async () => {
    const cold = await call("/api/inference/team/cold/v1/chat/completions", chatBody);
    expect(cold.status).toBe(409);
    expect((await cold.json()).error.message).toMatch(/not ready/);
    expect((await call("/api/inference/team/ghost/v1/models")).status).toBe(404);
  });

  it("forwards only the allow-listed paths", async () => {
    for (const path of [
      "/api/inference/team/phi/metrics",
      "/api/inference/team/phi/v1/models/../../metrics",
      "/api/inference/team/phi/%2e%2e/metrics",
      "/api/inference/team/phi@evil.example/v1/models",
      "/api/inference/team/phi//v1/models",
      "/api/inference/Team/phi/v1/models",
    ]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
    }
    expect((await call("/api/inference/team/phi/v1/models")).status).toBe(200);
  });

  it("lists only ready workspaces", async () => {
    const body = await (await call("/api/inference/workspaces")).json();
    expect(body.data.map((w: { name: string }) => w.name)).toEqual(["phi"]);
  });

  it("rejects bodies over the limit and non-JSON bodies", async () => {
    const big = await call("/api/inference/team/phi/v1/completions", { prompt: "x".repeat(20_000) });
    expect(big.status).toBe(413);
    const bad = await fetch(`${proxyBase}/api/inference/team/phi/v1/completions`, {
      method: "POST",
      body: "not json",
      headers: { authorization: "Bearer kd_good" },
    });
    expect(bad.status).toBe(400);
  });

  it("maps an overloaded model server to 429 and a failing one to 502", async () => {
    double.faults.set("team/phi", "overload");
    const busy = await call("/api/inference/team/phi/v1/chat/completions", chatBody);
    expect(busy.status).toBe(429);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect((await busy.json()).error.code).toBe("upstream_overloaded");
    double.faults.set("team/phi", "fail");
    const failed = await call("/api/inference/team/phi/v1/chat/completions", chatBody);
    expect(failed.status).toBe(502);
    expect((await failed.json()).error.message).toMatch(/injected fault/);
  });

  it("answers 504 when the model server stalls", async () => {
    double.faults.set("team/phi", "stall");
    const res = await call("/api/inference/team/phi/v1/chat/completions", { ...chatBody, stream: true });
    expect(res.status).toBe(504);
    await waitFor(
      "the timeout in the usage records",
      () => usage.some((u) => u.errorCode === "upstream_timeout"),
      POLL,
    );
  });

  it("ends a stream that breaks mid-answer with an error event", async () => {
    double.faults.set("team/phi", "break");
    const text = await (
      await call("/api/inference/team/phi/v1/chat/completions", { ...chatBody, stream: true })
    ).text();
    expect(text.trim().split("\n\n").at(-1)).toMatch(/"error":\{"message":"The model server of team\/phi closed/);
  });

  it("cancels the upstream generation when the caller goes away", async () => {
    const abort = new AbortController();
    const res = await call(
      "/api/inference/team/phi/v1/chat/completions",
      { ...chatBody, max_tokens: 5000, ignore_eos: true, stream: true },
      { signal: abort.signal },
    );
    const reader = res.body!.getReader();
    await reader.read();
    const running = async () =>
      (await (await fetch(`${doubleBase}/ws/team/phi/metrics`)).text()).match(
        /^vllm:num_requests_running\{.*\} (\d+)$/m,
      )?.[1];
    expect(await running()).toBe("1");
    abort.abort();
    await waitFor("the generation to stop upstream", async () => (await running()) === "0", POLL);
    await waitFor("the 499 in the usage records", () => usage.some((u) => u.status === 499), POLL);
  });
});
