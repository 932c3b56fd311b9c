// The dashboard's own share of a serving panel, without Prometheus's: the answers Prometheus gave
// for one panel are replayed from a local server, and the panel's server function and the same
// requests sent straight are timed against it, taking turns, with the CPU each one used.
import http from "node:http";
import type { AddressInfo } from "node:net";

import { getServingMetrics } from "@/server/metrics/get-serving-metrics";
import { createPrometheusClient } from "@/server/metrics/prometheus-client";
import { servingCharts } from "@/server/metrics/serving-charts";
import { windowRange } from "@/server/metrics/time-windows";

type Timing = { wall: number[]; cpuMs: number };
export type ClientOverhead = { dashboard: Timing; direct: Timing; answerBytes: number };

const form = (query: string, range: { start: number; end: number; step: number }) =>
  new URLSearchParams({ query, start: String(range.start), end: String(range.end), step: String(range.step) });

export async function measureClientOverhead(
  prometheusUrl: string,
  namespace: string,
  name: string,
  iterations: number,
): Promise<ClientOverhead> {
  const range = windowRange("24h", Date.now());
  const queries = servingCharts(namespace, name, "24h").flatMap((c) => c.queries.map((q) => q.promql));
  const answers = new Map<string, string>();
  for (const query of queries) {
    const response = await fetch(`${prometheusUrl}/api/v1/query_range`, { method: "POST", body: form(query, range) });
    answers.set(query, await response.text());
  }
  const replay = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk));
    req.on("end", () => {
      const query = new URLSearchParams(body).get("query") ?? "";
      res.writeHead(200, { "content-type": "application/json" }).end(answers.get(query) ?? "{}");
    });
  });
  await new Promise<void>((resolve) => replay.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(replay.address() as AddressInfo).port}`;
  const client = createPrometheusClient(url, 30_000);
  const dashboard = () => getServingMetrics({ namespace, name, window: "24h" }, client);
  const direct = () =>
    Promise.all(
      queries.map((query) =>
        fetch(`${url}/api/v1/query_range`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: form(query, range),
        }).then((r) => r.json()),
      ),
    );
  const timed = async (fn: () => Promise<unknown>, into: number[]) => {
    const t = performance.now();
    await fn();
    into.push(performance.now() - t);
  };
  const result: ClientOverhead = {
    dashboard: { wall: [], cpuMs: 0 },
    direct: { wall: [], cpuMs: 0 },
    answerBytes: [...answers.values()].reduce((n, a) => n + a.length, 0),
  };
  for (let i = 0; i < 20; i++) await Promise.all([dashboard(), direct()]);
  for (let i = 0; i < iterations; i++) {
    if (i % 2 === 0) {
      await timed(dashboard, result.dashboard.wall);
      await timed(direct, result.direct.wall);
    } else {
      await timed(direct, result.direct.wall);
      await timed(dashboard, result.dashboard.wall);
    }
  }
  // CPU per panel, the replaying server's included on both sides alike.
  for (const [side, fn] of [
    ["dashboard", dashboard],
    ["direct", direct],
  ] as const) {
    const before = process.cpuUsage();
    for (let i = 0; i < iterations; i++) await fn();
    const used = process.cpuUsage(before);
    result[side].cpuMs = (used.user + used.system) / 1000 / iterations;
  }
  replay.close();
  return result;
}
