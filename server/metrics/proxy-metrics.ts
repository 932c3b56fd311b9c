import "server-only";

import http from "node:http";

import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

import type { UsageRecord } from "@/server/inference/inference-types";

/**
 * The web process's own series: the chat proxy as the dashboard sees it, per Workspace and per
 * user (the user's id, not their email: labels end up in every Prometheus query and export).
 * Next to vLLM's figures they show what the dashboard adds: its own errors (401, 403, 429, 499,
 * 502, 504) and its time to first token, which includes the proxy's own hop.
 */
export function createProxyMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "kaito_web_", eventLoopMonitoringPrecision: 100 });
  const registers = [registry];
  const perRequest = ["namespace", "workspace", "user"];
  return {
    registry,
    requests: new Counter({
      name: "kaito_dashboard_inference_requests_total",
      help: "Requests through the dashboard's inference proxy, by HTTP status code",
      labelNames: [...perRequest, "code"],
      registers,
    }),
    tokens: new Counter({
      name: "kaito_dashboard_inference_tokens_total",
      help: "Tokens of proxied requests as the model server reported them (kind: prompt or completion)",
      labelNames: [...perRequest, "kind"],
      registers,
    }),
    ttft: new Histogram({
      name: "kaito_dashboard_inference_time_to_first_token_seconds",
      help: "Time from the request reaching the dashboard to the first streamed byte leaving it",
      labelNames: ["namespace", "workspace"],
      buckets: [0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 20, 40],
      registers,
    }),
    duration: new Histogram({
      name: "kaito_dashboard_inference_request_duration_seconds",
      help: "Whole proxied request, as the dashboard saw it",
      labelNames: ["namespace", "workspace"],
      buckets: [0.1, 0.3, 0.5, 1, 2.5, 5, 10, 20, 40, 60, 120, 300],
      registers,
    }),
  };
}

export type ProxyMetrics = ReturnType<typeof createProxyMetrics>;

// The chat proxy and this /metrics both run in server/web-server.ts's own module graph (not in
// Next's bundles), so one module-level registry is the process's.
let proxyMetrics: ProxyMetrics | undefined;

export function getProxyMetrics(): ProxyMetrics {
  proxyMetrics ??= createProxyMetrics();
  return proxyMetrics;
}

/** Counts one finished proxied request (the same record the usage table gets). */
export function observeProxyUsage(record: UsageRecord, metrics: ProxyMetrics = getProxyMetrics()): void {
  const who = { namespace: record.namespace, workspace: record.workspace, user: record.userId };
  metrics.requests.inc({ ...who, code: String(record.status) });
  if (record.promptTokens) metrics.tokens.inc({ ...who, kind: "prompt" }, record.promptTokens);
  if (record.completionTokens) metrics.tokens.inc({ ...who, kind: "completion" }, record.completionTokens);
  const where = { namespace: record.namespace, workspace: record.workspace };
  if (record.ttftMs !== null) metrics.ttft.observe(where, record.ttftMs / 1000);
  metrics.duration.observe(where, record.durationMs / 1000);
}

/** `/metrics` of the web process on a port of its own, away from the public one. */
export function serveWebMetrics(port: number, host: string): http.Server {
  const { registry } = getProxyMetrics();
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "/").split("?")[0] !== "/metrics") return void res.writeHead(404).end();
    registry
      .metrics()
      .then((text) => res.writeHead(200, { "content-type": registry.contentType }).end(text))
      .catch(() => res.writeHead(500).end());
  });
  server.listen(port, host);
  return server;
}
