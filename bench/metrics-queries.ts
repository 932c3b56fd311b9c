// Benchmark: the serving panel's and the fleet page's PromQL through the dashboard's server code
// against a real Prometheus (Debian's), compared with the same PromQL sent straight to Prometheus
// in the same run, and Prometheus's own cost of scraping 100 model-server doubles at 15 s.
//   npm run bench:metrics -- [--workspaces 100] [--minutes 4] [--iterations 40] [--fleet-rows 1000]
// Prometheus holds only the minutes this run scraped, not 24 h or 7 d: the windows' queries run
// over mostly empty ranges, so the latencies are a floor for a cluster with a full day of data.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

import type { V1Node, V1Pod } from "@kubernetes/client-node";

import { createGpuMetricsServer } from "@/dev/gpu-metrics/create-gpu-metrics-server";
import { freePort } from "@/dev/lib/ports";
import { createModelServer } from "@/dev/model-server/create-model-server";
import { pathModelSource } from "@/dev/model-server/workspace-models";
import { startLocalPrometheus } from "@/dev/prometheus/start-local-prometheus";
import { buildFleet } from "@/server/metrics/build-fleet";
import { fleetQueries, type FleetQueryName } from "@/server/metrics/fleet-queries";
import { getServingMetrics } from "@/server/metrics/get-serving-metrics";
import { createPrometheusClient, type Series } from "@/server/metrics/prometheus-client";
import { servingCharts } from "@/server/metrics/serving-charts";
import { windowRange } from "@/server/metrics/time-windows";

import { recordRun } from "./record-result";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const WORKSPACES = arg("workspaces", 100);
const MINUTES = arg("minutes", 4);
const ITERATIONS = arg("iterations", 40);
const FLEET_ROWS = arg("fleet-rows", 1000);
const NS = "bench";
const name = (i: number) => `ws-${String(i).padStart(3, "0")}`;

const listen = (server: http.Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

// 100 Workspaces, each one pod with one V100 on a node of its own, as the cluster would list them.
const pods: V1Pod[] = Array.from({ length: WORKSPACES }, (_, i) => ({
  metadata: { name: `${name(i)}-0`, namespace: NS, labels: { "kaito.sh/workspace": name(i) } },
  spec: {
    nodeName: `node-${i}`,
    containers: [
      {
        name: name(i),
        ports: [{ name: "http", containerPort: 5000 }],
        resources: { limits: { "nvidia.com/gpu": "1" } },
      },
    ],
  },
  status: { phase: "Running", podIP: `10.0.${Math.floor(i / 250)}.${i % 250}` },
}));
const nodes: V1Node[] = pods.map((_, i) => ({
  metadata: {
    name: `node-${i}`,
    labels: { "nvidia.com/gpu.product": "Tesla-V100-PCIE-16GB", "nvidia.com/gpu.memory": "16384" },
  },
  status: { capacity: { "nvidia.com/gpu": "1" } },
}));

const double = createModelServer({
  ttftMs: 40,
  tokenDelayMs: 10,
  maxConcurrency: 8,
  maxQueue: 256,
  defaultModel: "unused",
  models: pathModelSource(),
});
const modelServer = await listen(double.server);
const gpus = createGpuMetricsServer(
  {
    nodes: async () => nodes,
    pods: async () => pods,
    load: async () => (await fetch(`http://${modelServer}/_double/load`)).json(),
  },
  { saturation: 8, memoryUtilization: 0.9 },
);
const gpuMetrics = await listen(gpus);
const dir = mkdtempSync(path.join(os.tmpdir(), "kd-bench-prometheus-"));
const prometheus = await startLocalPrometheus({
  kube: { request: async () => ({ items: pods }) } as never,
  dir,
  port: await freePort(),
  scrapeInterval: "15s",
  namespace: "kaito-dashboard",
  targets: { modelServer, gpuMetrics, worker: "127.0.0.1:9" },
});
const client = createPrometheusClient(prometheus.url, 30_000);
console.log(`Prometheus ${prometheus.url} scraping ${WORKSPACES} Workspaces every 15 s for ${MINUTES} min …`);

// A steady trickle on every Workspace: one 64-token answer each, every few seconds.
let loading = true;
const load = Promise.all(
  Array.from({ length: WORKSPACES }, async (_, i) => {
    while (loading) {
      await fetch(`http://${modelServer}/ws/${NS}/${name(i)}/v1/completions`, {
        method: "POST",
        body: JSON.stringify({ prompt: `bench ${i}`, max_tokens: 64, ignore_eos: true }),
      }).then((r) => r.text());
      await new Promise((r) => setTimeout(r, 2000 + ((i * 37) % 3000)));
    }
  }),
);
const cpuTicks = () => {
  const stat = readFileSync(`/proc/${prometheus.pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(stat[11]) + Number(stat[12]);
};
const ticksBefore = cpuTicks();
const scrapeStarted = Date.now();
await new Promise((r) => setTimeout(r, MINUTES * 60_000));
const cpuShare = ((cpuTicks() - ticksBefore) / 100 / ((Date.now() - scrapeStarted) / 1000)) * 100;
const rssMiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${prometheus.pid}/status`, "utf8"))![1]) / 1024;
const instantValue = async (q: string) => (await client.instant(q, Date.now() / 1000))[0]?.points[0]?.[1] ?? NaN;
const scrapeSeconds = await instantValue('avg(scrape_duration_seconds{job="kaito-inference"})');
const samplesPerScrape = await instantValue('sum(scrape_samples_scraped{job="kaito-inference"})');
const series = (
  (await (await fetch(`${prometheus.url}/api/v1/status/tsdb`)).json()) as {
    data: { headStats: { numSeries: number } };
  }
).data.headStats.numSeries;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

// Serving panel, 24 h: the dashboard's function vs the same range queries sent straight.
const panel: number[] = [];
const panelDirect: number[] = [];
for (let i = 0; i < ITERATIONS; i++) {
  const ws = name(i % WORKSPACES);
  const now = Date.now();
  panel.push(await time(() => getServingMetrics({ namespace: NS, name: ws, window: "24h" }, client, now)));
  const range = windowRange("24h", now);
  const queries = servingCharts(NS, ws, "24h").flatMap((c) => c.queries.map((q) => q.promql));
  panelDirect.push(
    await time(() =>
      Promise.all(
        queries.map((query) =>
          fetch(`${prometheus.url}/api/v1/query_range`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
              query,
              start: String(range.start),
              end: String(range.end),
              step: String(range.step),
            }),
          }).then((r) => r.json()),
        ),
      ),
    ),
  );
}

// Fleet, 7 d, joined to FLEET_ROWS Workspaces (the first WORKSPACES of them scraped).
const rows = Array.from({ length: FLEET_ROWS }, (_, i) => ({
  namespace: NS,
  name: name(i),
  model: "phi-3-mini-4k-instruct",
  instanceType: "Standard_NC6s_v3",
}));
const queries = fleetQueries("7d", 24);
const queryNames = Object.keys(queries) as FleetQueryName[];
const fleet: number[] = [];
const fleetDirect: number[] = [];
for (let i = 0; i < ITERATIONS; i++) {
  const at = Date.now() / 1000;
  fleet.push(
    await time(async () => {
      const answers = await Promise.all(queryNames.map((q) => client.instant(queries[q], at)));
      const results = Object.fromEntries(queryNames.map((q, k) => [q, answers[k]])) as Record<FleetQueryName, Series[]>;
      buildFleet(rows, results, { Standard_NC6s_v3: 3.06 });
    }),
  );
  fleetDirect.push(
    await time(() =>
      Promise.all(
        queryNames.map((q) =>
          fetch(`${prometheus.url}/api/v1/query`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ query: queries[q], time: String(at) }),
          }).then((r) => r.json()),
        ),
      ),
    ),
  );
}

loading = false;
await load;
await prometheus.stop();
double.closeAll();
double.server.close();
gpus.close();
rmSync(dir, { recursive: true, force: true });

const ratio = (a: number[], b: number[]) => (percentile(a, 95) / percentile(b, 95)).toFixed(2);
const cpu = os.cpus();
const report = `## Serving metrics: ${WORKSPACES} Workspaces scraped at 15 s, ${MINUTES} min of data (${new Date().toISOString()})

Machine: ${cpu.length} × ${cpu[0]?.model ?? "CPU"}, Node.js ${process.versions.node}, Debian's Prometheus
(\`/usr/bin/prometheus\`), the model-server double (path mode) and the GPU metrics double in this
process, each Workspace serving a 64-token answer every 2–5 s. Prometheus held ${MINUTES} min of
data, not a day or a week: the 24 h and 7 d windows ran over mostly empty ranges, so the figures
are a floor for a cluster with full history. ${ITERATIONS} sequential iterations each.

| what | p50 | p95 | target |
|---|---|---|---|
| Serving panel, one Workspace, 24 h (server function, ${servingCharts(NS, name(0), "24h").flatMap((c) => c.queries).length} range queries) | ${ms(percentile(panel, 50))} | ${ms(percentile(panel, 95))} | p95 < 150 ms |
| — same PromQL straight to Prometheus | ${ms(percentile(panelDirect, 50))} | ${ms(percentile(panelDirect, 95))} | |
| Fleet, 7 d, ${FLEET_ROWS} Workspaces joined (${queryNames.length} instant queries + join) | ${ms(percentile(fleet, 50))} | ${ms(percentile(fleet, 95))} | p95 < 500 ms |
| — same PromQL straight to Prometheus | ${ms(percentile(fleetDirect, 50))} | ${ms(percentile(fleetDirect, 95))} | |

Dashboard ÷ direct at p95: serving panel ${ratio(panel, panelDirect)}×, fleet ${ratio(fleet, fleetDirect)}× (target ≤ 1.3×).

Prometheus scraping ${WORKSPACES} model-server doubles and the GPU double: RSS ${rssMiB.toFixed(0)} MiB,
${series} head series, ${samplesPerScrape} samples per round of inference scrapes, mean scrape
${(scrapeSeconds * 1000).toFixed(1)} ms per target, ${cpuShare.toFixed(1)} % of one core over the run (load included in the machine, not in this figure).
`;
console.log(report);
if (!process.argv.includes("--no-record")) recordRun("metrics", "Serving metrics", report);
process.exit(0);
