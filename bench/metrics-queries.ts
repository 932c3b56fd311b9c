// Benchmark: the serving panel's and the fleet page's PromQL through the dashboard's server code
// against a real Prometheus (Debian's), compared with the same PromQL sent straight to Prometheus
// in the same run, and Prometheus's own cost of scraping 100 model-server doubles at 15 s.
//   npm run bench:metrics -- [--workspaces 100] [--minutes 1] [--iterations 40] [--fleet-rows 1000]
//                            [--panel-hours 24] [--fleet-days 7] [--fleet-interval 600] [--fleet-iterations 20]
// Prometheus first scrapes the live doubles for a while; then the windows' history is backfilled
// (./metrics-history.ts): for the panel, every series of 100 Workspaces at the scrape interval
// over the last day; for the fleet, the series its queries read, for 1,000 Workspaces over the
// last week at --fleet-interval seconds, and the fleet's recording rules are evaluated over that
// week by Prometheus's own rule backfill (`promtool tsdb create-blocks-from rules`: the hourly
// records over the week, the 24 h and 7 d records over its last hours), so that the fleet reads
// the records as it does on a cluster that runs the chart's PrometheusRule. The fleet is measured
// once Prometheus has compacted the imported blocks, as a cluster's Prometheus holds a week.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

import type { V1Node, V1Pod } from "@kubernetes/client-node";

import { createGpuMetricsServer } from "@/dev/gpu-metrics/create-gpu-metrics-server";
import { freePort } from "@/dev/lib/ports";
import { createModelServer } from "@/dev/model-server/create-model-server";
import { pathModelSource } from "@/dev/model-server/workspace-models";
import { backfillFleetRecords } from "@/dev/prometheus/backfill-fleet-records";
import { startLocalPrometheus } from "@/dev/prometheus/start-local-prometheus";
import { buildFleet } from "@/server/metrics/build-fleet";
import { fleetQueries, type FleetQueryName } from "@/server/metrics/fleet-queries";
import { FLEET_HOURLY_RULES, FLEET_PERIOD_RULES, periodRecords } from "@/server/metrics/fleet-recording-rules";
import { getServingMetrics } from "@/server/metrics/get-serving-metrics";
import { createPrometheusClient } from "@/server/metrics/prometheus-client";
import { queryFleetSeries } from "@/server/metrics/query-fleet-series";
import { servingCharts } from "@/server/metrics/serving-charts";
import { windowRange } from "@/server/metrics/time-windows";

import { measureClientOverhead } from "./metrics-client-overhead";
import { learnSeries, writeHistory } from "./metrics-history";
import { recordRun } from "./record-result";

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const WORKSPACES = arg("workspaces", 100);
const MINUTES = arg("minutes", 0.5);
const ITERATIONS = arg("iterations", 40);
const FLEET_ROWS = arg("fleet-rows", 1000);
const OVERHEAD_ITERATIONS = 200;
const PANEL_HOURS = arg("panel-hours", 24);
const FLEET_DAYS = arg("fleet-days", 7);
const FLEET_INTERVAL = arg("fleet-interval", 600);
const FLEET_ITERATIONS = arg("fleet-iterations", 20);
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
const fleetDir = mkdtempSync(path.join(os.tmpdir(), "kd-bench-prometheus-fleet-"));
const startPrometheus = async (at: string) =>
  startLocalPrometheus({
    kube: { request: async () => ({ items: pods }) } as never,
    dir: at,
    port: await freePort(),
    scrapeInterval: "15s",
    namespace: "kaito-dashboard",
    targets: { modelServer, gpuMetrics, worker: "127.0.0.1:9" },
    retention: `${Math.ceil((FLEET_DAYS + 2) * 24)}h`,
  });
let prometheus = await startPrometheus(dir);
let client = createPrometheusClient(prometheus.url, 120_000);
console.log(`Prometheus ${prometheus.url} scraping ${WORKSPACES} Workspaces every 15 s for ${MINUTES} min …`);

// A steady trickle on every Workspace: one 64-token answer each, every few seconds.
let loading = true;
const load = Promise.all(
  Array.from({ length: WORKSPACES }, async (_, i) => {
    while (loading) {
      // Writing the history blocks this process for seconds at a time: a connection the double
      // dropped meanwhile is one request fewer, not the end of the run.
      await fetch(`http://${modelServer}/ws/${NS}/${name(i)}/v1/completions`, {
        method: "POST",
        body: JSON.stringify({ prompt: `bench ${i}`, max_tokens: 64, ignore_eos: true }),
      })
        .then((r) => r.text())
        .catch(() => undefined);
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
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${prometheus.pid}/status`, "utf8"))![1]) / 1024;
const rssMiB = rss();
const instantValue = async (q: string) => (await client.instant(q, Date.now() / 1000))[0]?.points[0]?.[1] ?? NaN;
const scrapeSeconds = await instantValue('avg(scrape_duration_seconds{job="kaito-inference"})');
const samplesPerScrape = await instantValue('sum(scrape_samples_scraped{job="kaito-inference"})');
const series = (
  (await (await fetch(`${prometheus.url}/api/v1/status/tsdb`)).json()) as {
    data: { headStats: { numSeries: number } };
  }
).data.headStats.numSeries;

// The history: learnt from what Prometheus stored of Workspace 0, written up to the live data.
const liveFrom = Math.floor(scrapeStarted / 1000) - 15;
const template = await learnSeries(prometheus.url, name(0), Math.floor(Date.now() / 1000));
await prometheus.stop();
const history = {
  template,
  templateName: name(0),
  templateNode: "node-0",
  nameOf: name,
  scratchDir: os.tmpdir(),
};
const panelHistory = await writeHistory({
  ...history,
  workspaces: WORKSPACES,
  fromSeconds: liveFrom - PANEL_HOURS * 3600,
  toSeconds: liveFrom,
  intervalSeconds: 15,
  dataDir: path.join(dir, "data"),
});
console.log(
  `panel history: ${panelHistory.samples} samples of ${panelHistory.series} series in ${panelHistory.seconds.toFixed(0)} s`,
);
prometheus = await startPrometheus(dir);
client = createPrometheusClient(prometheus.url, 120_000);
// One round of scrapes on top of the history before measuring.
await new Promise((r) => setTimeout(r, 15_000));

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** The same PromQL sent straight to Prometheus's HTTP API, as the baseline of each comparison. */
const straight = (api: "query" | "query_range", params: Record<string, string>) =>
  fetch(`${prometheus.url}/api/v1/${api}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params),
  }).then((r) => r.json());

/** One sample of each, the two taking turns at going first (the second finds the page cache warm). */
async function takeTurns(
  i: number,
  a: () => Promise<number>,
  aTimes: number[],
  b: () => Promise<number>,
  bTimes: number[],
) {
  if (i % 2 === 0) {
    aTimes.push(await a());
    bTimes.push(await b());
  } else {
    bTimes.push(await b());
    aTimes.push(await a());
  }
}

// Serving panel, 24 h: the dashboard's function vs the same range queries sent straight, taking
// turns at going first (the second reader of a block finds its chunks in the page cache).
const panel: number[] = [];
const panelDirect: number[] = [];
let lastPanel: Awaited<ReturnType<typeof getServingMetrics>> | undefined;
for (let i = 0; i < ITERATIONS; i++) {
  const ws = name(i % WORKSPACES);
  const now = Date.now();
  const range = windowRange("24h", now);
  const queries = servingCharts(NS, ws, "24h").flatMap((c) => c.queries.map((q) => q.promql));
  const viaDashboard = () =>
    time(async () => {
      lastPanel = await getServingMetrics({ namespace: NS, name: ws, window: "24h" }, client, now);
    });
  const direct = () =>
    time(() =>
      Promise.all(
        queries.map((query) =>
          straight("query_range", {
            query,
            start: String(range.start),
            end: String(range.end),
            step: String(range.step),
          }),
        ),
      ),
    );
  await takeTurns(i, viaDashboard, panel, direct, panelDirect);
}
const panelRss = rss();
const overhead = await measureClientOverhead(prometheus.url, NS, name(0), OVERHEAD_ITERATIONS);
// Printed now: the fleet's half is the long one.
console.log(
  `panel p50/p95 ${ms(percentile(panel, 50))}/${ms(percentile(panel, 95))}, direct ${ms(percentile(panelDirect, 50))}/${ms(percentile(panelDirect, 95))}; replayed: ${ms(percentile(overhead.dashboard.wall, 50))}/${ms(percentile(overhead.dashboard.wall, 95))} vs ${ms(percentile(overhead.direct.wall, 50))}/${ms(percentile(overhead.direct.wall, 95))}`,
);
// Proof that the day is there: the points with a value in the last panel, of its 145 per series.
const panelPoints = (lastPanel?.charts ?? []).flatMap((c) =>
  c.series.map((x) => x.points.filter((p) => p[1] !== null).length),
);
await prometheus.stop();

// Fleet, 7 d, joined to FLEET_ROWS Workspaces: a second Prometheus with the series the fleet's
// queries read, for all of them over the week, under the live scrapes of the first WORKSPACES.
const queries = fleetQueries("7d", 24);
const queryNames = Object.keys(queries) as FleetQueryName[];
const fleetFamilies = new Set(
  Object.values(queries).flatMap((q) => [...q.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)(?:\{|\[)/g)].map((m) => m[1])),
);
const fleetHistory = await writeHistory({
  ...history,
  workspaces: FLEET_ROWS,
  families: (metric) => fleetFamilies.has(metric) || fleetFamilies.has(metric.replace(/_(bucket|count|sum)$/, "")),
  fromSeconds: Math.floor(Date.now() / 1000) - FLEET_DAYS * 86_400,
  toSeconds: Math.floor(Date.now() / 1000) - 60,
  intervalSeconds: FLEET_INTERVAL,
  dataDir: path.join(fleetDir, "data"),
});
console.log(
  `fleet history: ${fleetHistory.samples} samples of ${fleetHistory.series} series in ${fleetHistory.seconds.toFixed(0)} s`,
);
// The fleet's records, evaluated from the raw history by Prometheus's own rule evaluator with the
// rules the chart ships: the hourly ones over the week, the period ones over its last 4 hours
// (a view reads only their latest point).
const weekEnd = Math.floor(Date.now() / 1000);
const backfill = await backfillFleetRecords({
  dataDir: path.join(fleetDir, "data"),
  serve: () => startPrometheus(fleetDir),
  start: weekEnd - FLEET_DAYS * 86_400,
  end: weekEnd,
  periodsFrom: weekEnd - 4 * 3600,
});
console.log(
  `fleet records: hourly over the week in ${backfill.hourly.toFixed(0)} s, periods in ${backfill.periods.toFixed(0)} s`,
);
prometheus = await startPrometheus(fleetDir);
client = createPrometheusClient(prometheus.url, 120_000);
// Prometheus compacts the hundreds of imported 2-hour blocks into a few long ones in the
// background (its compaction loop runs once a minute); a cluster's Prometheus holding a week has
// long since done so. Measured once the count has not changed for two of those minutes.
const blocks = () => readdirSync(path.join(fleetDir, "data")).filter((f) => /^[0-9A-Z]{26}$/.test(f)).length;
const blocksImported = blocks();
const compactStarted = Date.now();
let stableSince = Date.now();
for (let last = blocksImported; Date.now() - compactStarted < 8 * 60_000 && Date.now() - stableSince < 125_000;) {
  await new Promise((r) => setTimeout(r, 5_000));
  if (blocks() !== last) [last, stableSince] = [blocks(), Date.now()];
}
const compactSeconds = (Date.now() - compactStarted) / 1000;
const blocksCompacted = blocks();
console.log(
  `blocks: ${blocksImported} imported, ${blocksCompacted} after ${compactSeconds.toFixed(0)} s of compaction`,
);
// What the ruler spends per hourly evaluation of the group, rule by rule as it runs them.
const ruleSeconds = async (rules: { expr: string }[]) => {
  const t0 = performance.now();
  for (const rule of rules) await client.instant(rule.expr, Date.now() / 1000);
  return (performance.now() - t0) / 1000;
};
const hourlyRuleSeconds = await ruleSeconds(FLEET_HOURLY_RULES);
const periodRuleSeconds = await ruleSeconds(FLEET_PERIOD_RULES);
const rows = Array.from({ length: FLEET_ROWS }, (_, i) => ({
  namespace: NS,
  name: name(i),
  model: "phi-3-mini-4k-instruct",
  instanceType: "Standard_NC6s_v3",
}));
const fleet: number[] = [];
const fleetDirect: number[] = [];
let idleRows = 0;
let fleetRecorded = false;
let fleetQueriesSent = queries;
// The week's queries take seconds each: the run stops sampling after FLEET_BUDGET_S to stay
// within the machine's 10-minute slot, and says how many it took.
const FLEET_BUDGET_S = arg("fleet-budget", 150);
const fleetStarted = Date.now();
for (let i = 0; i < FLEET_ITERATIONS && Date.now() - fleetStarted < FLEET_BUDGET_S * 1000; i++) {
  const at = Date.now() / 1000;
  const viaDashboard = () =>
    time(async () => {
      // The server's own path: when the records were last evaluated (one series), then the queries.
      const answer = await queryFleetSeries(client, { period: "7d", idleHours: 24 }, at);
      fleetRecorded = answer.recordedAt !== null;
      fleetQueriesSent = answer.queries;
      idleRows = buildFleet(rows, answer.results, { Standard_NC6s_v3: 3.06 }).rows.filter((r) => r.idle).length;
    });
  const direct = () =>
    time(() => Promise.all(queryNames.map((q) => straight("query", { query: fleetQueriesSent[q], time: String(at) }))));
  await takeTurns(i, viaDashboard, fleet, direct, fleetDirect);
  console.log(`fleet ${i}: dashboard ${ms(fleet.at(-1)!)}, direct ${ms(fleetDirect.at(-1)!)}`);
}
// Baseline, same run: the same figures summed from the hourly records at view time (the period
// rules' own expressions, as the fleet read them before the period records existed).
const week = periodRecords("7d");
const summedAtView = (at: number) =>
  time(() =>
    Promise.all(
      [fleetQueriesSent.gpus, ...Object.values(week).map((r) => r.expr), fleetQueriesSent.recentRequests].map((query) =>
        straight("query", { query, time: String(at) }),
      ),
    ),
  );
const fleetSummed: number[] = [];
for (let i = 0; i < arg("summed-iterations", 5); i++) fleetSummed.push(await summedAtView(Date.now() / 1000));
console.log(`summed from the hourly records at view time: ${fleetSummed.map((t) => t.toFixed(0)).join(", ")} ms`);
const fleetRss = rss();
console.log(
  `fleet: ${fleet.map((t) => t.toFixed(0)).join(", ")} ms; direct: ${fleetDirect.map((t) => t.toFixed(0)).join(", ")} ms`,
);

loading = false;
await load;
await prometheus.stop();
double.closeAll();
double.server.close();
gpus.close();
rmSync(dir, { recursive: true, force: true });
rmSync(fleetDir, { recursive: true, force: true });

const ratio = (a: number[], b: number[], p: number) => (percentile(a, p) / percentile(b, p)).toFixed(2);
const cpu = os.cpus();
const millions = (n: number) => `${(n / 1e6).toFixed(1)} M`;
const report = `## Serving metrics: 24 h of 100 Workspaces at 15 s, 7 d of 1,000 (${new Date().toISOString()})

Machine: ${cpu.length} × ${cpu[0]?.model ?? "CPU"}, Node.js ${process.versions.node}, Debian's Prometheus
(\`/usr/bin/prometheus\`), the model-server double (path mode) and the GPU metrics double in this
process, each of ${WORKSPACES} Workspaces serving a 64-token answer every 2–5 s, scraped every 15 s
for ${MINUTES} min. History backfilled with \`promtool tsdb create-blocks-from openmetrics\`
(bench/metrics-history.ts) from the series Prometheus stored of the live Workspace 0, on a daily
load curve per Workspace, every tenth idle:
- panel: every series of ${WORKSPACES} Workspaces and the shared ones over ${PANEL_HOURS} h at 15 s,
  ${millions(panelHistory.samples)} samples of ${panelHistory.series} series (written in ${panelHistory.seconds.toFixed(0)} s);
- fleet: the series its queries read (${[...fleetFamilies].join(", ")}) of ${FLEET_ROWS} Workspaces over
  ${FLEET_DAYS} d at ${FLEET_INTERVAL} s, ${millions(fleetHistory.samples)} samples of ${fleetHistory.series} series (written in ${fleetHistory.seconds.toFixed(0)} s),
  under the live scrapes of the first ${WORKSPACES}; the fleet's recording rules (the chart's)
  evaluated hourly by \`promtool tsdb create-blocks-from rules\` (dev/prometheus/backfill-fleet-records.ts):
  the hourly records over the week (${backfill.hourly.toFixed(0)} s), the 24 h and 7 d records over its last 4 hours
  (${backfill.periods.toFixed(0)} s), imported beside it. ${blocksImported} blocks imported, ${blocksCompacted} after ${compactSeconds.toFixed(0)} s of
  Prometheus's compaction, then measured. The fleet ${fleetRecorded ? "read the period records" : "found no records and read the raw series"}.

The last panel held ${panelPoints.length} series with ${Math.min(...panelPoints)}–${Math.max(...panelPoints)} points with a value each.
${ITERATIONS} sequential iterations of the panel, ${fleet.length} of the fleet (as many as fit in ${FLEET_BUDGET_S} s), the dashboard and the direct call taking turns at going first.

| what | p50 | p95 | target |
|---|---|---|---|
| Serving panel, one Workspace, ${PANEL_HOURS} h (server function, ${servingCharts(NS, name(0), "24h").flatMap((c) => c.queries).length} range queries) | ${ms(percentile(panel, 50))} | ${ms(percentile(panel, 95))} | p95 < 150 ms |
| — same PromQL straight to Prometheus | ${ms(percentile(panelDirect, 50))} | ${ms(percentile(panelDirect, 95))} | |
| Fleet, ${FLEET_DAYS} d, ${FLEET_ROWS} Workspaces joined (${queryNames.length} instant queries${fleetRecorded ? " over the recorded series" : ""} + join; ${idleRows} flagged idle) | ${ms(percentile(fleet, 50))} | ${ms(percentile(fleet, 95))} | p95 < 500 ms |
| — same PromQL straight to Prometheus | ${ms(percentile(fleetDirect, 50))} | ${ms(percentile(fleetDirect, 95))} | |
| — baseline: the same figures summed from the hourly records at view time, straight (${fleetSummed.length} views) | ${ms(percentile(fleetSummed, 50))} | ${ms(percentile(fleetSummed, 95))} | |

Dashboard ÷ direct: serving panel ${ratio(panel, panelDirect, 95)}× at p95 (${ratio(panel, panelDirect, 50)}× at p50), fleet ${ratio(fleet, fleetDirect, 95)}× at p95 (${ratio(fleet, fleetDirect, 50)}× at p50); target ≤ 1.3×.

The dashboard's own share, without Prometheus's: one panel's answers from this Prometheus
(${(overhead.answerBytes / 1024).toFixed(0)} KiB of JSON in ${servingCharts(NS, name(0), "24h").flatMap((c) => c.queries).length} answers) replayed by a local server, ${OVERHEAD_ITERATIONS} times each, taking turns:
server function p50 ${ms(percentile(overhead.dashboard.wall, 50))}, p95 ${ms(percentile(overhead.dashboard.wall, 95))}, ${overhead.dashboard.cpuMs.toFixed(2)} ms CPU per panel;
straight p50 ${ms(percentile(overhead.direct.wall, 50))}, p95 ${ms(percentile(overhead.direct.wall, 95))}, ${overhead.direct.cpuMs.toFixed(2)} ms CPU per panel.

Prometheus scraping ${WORKSPACES} model-server doubles and the GPU double (before the backfill): RSS ${rssMiB.toFixed(0)} MiB,
${series} head series, ${samplesPerScrape} samples per round of inference scrapes, mean scrape
${(scrapeSeconds * 1000).toFixed(1)} ms per target, ${cpuShare.toFixed(1)} % of one core over the run (load included in the machine, not in this figure).
RSS after the panel's queries over the day: ${panelRss.toFixed(0)} MiB; after the fleet's over the week: ${fleetRss.toFixed(0)} MiB.

The fleet's rule group, one hourly evaluation as its rules run in order: the hourly records
${hourlyRuleSeconds.toFixed(2)} s (over ${FLEET_INTERVAL} s history here; more at a 15 s scrape), the 24 h and 7 d records ${periodRuleSeconds.toFixed(2)} s
of Prometheus's time. Period records ÷ summing the hourly records at view time: ${ratio(fleet, fleetSummed, 50)}× at p50.
`;
console.log(report);
if (!process.argv.includes("--no-record")) recordRun("metrics", "Serving metrics", report);
process.exit(0);
