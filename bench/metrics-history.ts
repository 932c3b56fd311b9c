// History for bench/metrics-queries.ts: the series one live Workspace really exposes (as the
// bench's Prometheus stored them from the doubles) repeated for N Workspaces over a past window,
// written as OpenMetrics and turned into TSDB blocks with Prometheus's own `promtool tsdb
// create-blocks-from openmetrics`. The figures follow a daily load curve per Workspace; every
// tenth Workspace has served nothing (an idle GPU for the fleet).
import { execFile } from "node:child_process";
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

import { PROMTOOL } from "@/dev/prometheus/start-local-prometheus";

export type Labels = Record<string, string>;

/** The series of one template Workspace and the ones that belong to no Workspace. */
export type SeriesTemplate = { workspace: Labels[]; shared: Labels[] };

export type HistoryPlan = {
  template: SeriesTemplate;
  /** The template Workspace's name and node, replaced in every label value for Workspace i. */
  templateName: string;
  templateNode: string;
  nameOf: (i: number) => string;
  workspaces: number;
  /** Only series whose metric name passes (all when absent). */
  families?: (metric: string) => boolean;
  fromSeconds: number;
  toSeconds: number;
  intervalSeconds: number;
  dataDir: string;
  scratchDir: string;
};

/**
 * The live series of Prometheus grouped for a template: those of Workspace `name` (its vLLM
 * target's `workspace` label or its GPU's `pod`) and those of no Workspace at all.
 */
export async function learnSeries(prometheusUrl: string, name: string, at: number): Promise<SeriesTemplate> {
  const response = await fetch(`${prometheusUrl}/api/v1/query`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ query: '{__name__!=""}', time: String(at) }),
  });
  const answer = (await response.json()) as { data: { result: { metric: Labels; value: [number, string] }[] } };
  // The last value rides along as __value__: series the load does not drive keep it.
  const all: Labels[] = answer.data.result.map((r) => ({ ...r.metric, __value__: r.value[1] }));
  const ofAnyWorkspace = (l: Labels) => !!l.workspace || /^ws-\d+-\d+$/.test(l.pod ?? "");
  return {
    workspace: all.filter((l) => l.workspace === name || l.pod === `${name}-0`),
    shared: all.filter((l) => !ofAnyWorkspace(l)),
  };
}

const DAY = 86_400;

/** One Workspace's traffic: requests/s on a daily curve and what each request looks like. */
type Traffic = {
  peak: number;
  phase: number;
  promptTokens: number;
  outputTokens: number;
  ttftMedian: number;
  tpotMedian: number;
};

function trafficOf(i: number): Traffic {
  const idle = i % 10 === 9;
  return {
    peak: idle ? 0 : 0.2 + (i % 7) * 0.25,
    phase: (i % 24) * ((2 * Math.PI) / 24),
    promptTokens: 120 + (i % 5) * 60,
    outputTokens: 80 + (i % 4) * 40,
    ttftMedian: 0.04 + (i % 6) * 0.05,
    tpotMedian: 0.015 + (i % 3) * 0.01,
  };
}

/** Requests served from `from` to t: the integral of peak × (0.55 + 0.45 sin(ωt + φ)). */
function requestsBy(tr: Traffic, from: number, t: number): number {
  const w = (2 * Math.PI) / DAY;
  return tr.peak * (0.55 * (t - from) - (0.45 / w) * (Math.cos(w * t + tr.phase) - Math.cos(w * from + tr.phase)));
}
const ratePerSecond = (tr: Traffic, t: number) =>
  tr.peak * (0.55 + 0.45 * Math.sin(((2 * Math.PI) / DAY) * t + tr.phase));

// Share of a log-normal (σ = 0.6) at or below `le`: what fraction of requests a bucket counts.
function lognormalCdf(le: number, median: number): number {
  if (!Number.isFinite(le)) return 1;
  if (le <= 0) return 0;
  const z = Math.log(le / median) / (0.6 * Math.SQRT2);
  // Abramowitz–Stegun erf, plenty for bucket shares.
  const s = Math.sign(z);
  const x = Math.abs(z);
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return 0.5 * (1 + s * erf);
}
const noise = (i: number, k: number) => {
  const x = Math.sin(i * 12.9898 + k * 78.233) * 43758.5453;
  return x - Math.floor(x);
};

/** How one series' value at time t follows its Workspace's traffic (the last live value if unknown). */
function valueFunction(labels: Labels, tr: Traffic, i: number, from: number): (t: number, k: number) => number {
  const metric = labels.__name__;
  const served = (t: number) => requestsBy(tr, from, t);
  const e2e = tr.ttftMedian + tr.outputTokens * tr.tpotMedian;
  const running = (t: number, k: number) => Math.round(ratePerSecond(tr, t) * e2e * (0.7 + 0.6 * noise(i, k)));
  const medians: Record<string, number> = {
    "vllm:time_to_first_token_seconds": tr.ttftMedian,
    "vllm:time_per_output_token_seconds": tr.tpotMedian,
    "vllm:e2e_request_latency_seconds": e2e,
    "vllm:request_queue_time_seconds": 0.005,
    "vllm:request_prompt_tokens": tr.promptTokens,
    "vllm:request_generation_tokens": tr.outputTokens,
  };
  const histogram = /^(.*)_(bucket|count|sum)$/.exec(metric);
  if (histogram && medians[histogram[1]] !== undefined) {
    const median = medians[histogram[1]];
    // Per observation: one per request, but TPOT observes every token after the first.
    const per = histogram[1] === "vllm:time_per_output_token_seconds" ? tr.outputTokens - 1 : 1;
    if (histogram[2] === "bucket") {
      const share = lognormalCdf(labels.le === "+Inf" ? Infinity : Number(labels.le), median);
      return (t) => Math.round(served(t) * per * share);
    }
    if (histogram[2] === "count") return (t) => Math.round(served(t) * per);
    return (t) => served(t) * per * median * Math.exp(0.18);
  }
  switch (metric) {
    case "vllm:prompt_tokens_total":
      return (t) => Math.round(served(t) * tr.promptTokens);
    case "vllm:generation_tokens_total":
      return (t) => Math.round(served(t) * tr.outputTokens);
    case "vllm:request_success_total":
      return labels.finished_reason === "stop"
        ? (t) => Math.round(served(t) * 0.9)
        : labels.finished_reason === "length"
          ? (t) => Math.round(served(t) * 0.1)
          : () => 0;
    case "vllm:num_requests_running":
      return (t, k) => Math.min(8, running(t, k));
    case "vllm:num_requests_waiting":
      return (t, k) => Math.max(0, running(t, k) - 8);
    case "vllm:kv_cache_usage_perc":
      return (t, k) => Math.min(1, (Math.min(8, running(t, k)) * (tr.promptTokens + tr.outputTokens)) / 16_384);
    case "DCGM_FI_DEV_GPU_UTIL":
      return (t, k) => Math.round(Math.min(1, running(t, k) / 8) * 100);
    case "DCGM_FI_DEV_POWER_USAGE":
      // The bench's GPUs are V100s (250 W board power), 15 % of it idle.
      return (t, k) => Math.round(250 * (0.15 + 0.85 * Math.min(1, running(t, k) / 8)) * 1000) / 1000;
    case "up":
      return () => 1;
    default:
      return () => Number(labels.__value__ ?? 0);
  }
}

function relabel(labels: Labels, plan: HistoryPlan, i: number): Labels {
  const name = plan.nameOf(i);
  const out: Labels = {};
  for (const [key, value] of Object.entries(labels)) {
    if (key === "Hostname" && value === plan.templateNode) out[key] = `node-${i}`;
    else if (key === "UUID") out[key] = `${value.slice(0, -6)}${i.toString(16).padStart(6, "0")}`;
    else if (key === "instance" && labels.workspace) out[key] = `10.0.${Math.floor(i / 250)}.${i % 250}:5000`;
    else out[key] = value.replaceAll(plan.templateName, name);
  }
  return out;
}

function seriesPrefix(labels: Labels): string {
  const { __name__: metric, __value__: _value, ...rest } = labels;
  const pairs = Object.entries(rest).map(
    ([k, v]) => `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`,
  );
  return `${metric}{${pairs.join(",")}} `;
}

type Planned = { prefix: string; value: (t: number, k: number) => number };

/**
 * Writes the history in 2-hour files (promtool cuts blocks at 2 h and re-reads its input for
 * each block it cuts) and imports them into `dataDir`, two promtools at a time while the next
 * file is written. Returns the samples written.
 */
export async function writeHistory(plan: HistoryPlan): Promise<{ samples: number; series: number; seconds: number }> {
  const started = performance.now();
  const keep = (l: Labels) => !plan.families || plan.families(l.__name__);
  const planned: Planned[] = [];
  const firstStep = Math.ceil(plan.fromSeconds / plan.intervalSeconds) * plan.intervalSeconds;
  for (let i = 0; i < plan.workspaces; i++) {
    const tr = trafficOf(i);
    for (const labels of plan.template.workspace.filter(keep)) {
      const own = relabel(labels, plan, i);
      planned.push({ prefix: seriesPrefix(own), value: valueFunction(own, tr, i, firstStep) });
    }
  }
  const quiet = trafficOf(9);
  for (const labels of plan.template.shared.filter(keep))
    planned.push({ prefix: seriesPrefix(labels), value: valueFunction(labels, quiet, 0, firstStep) });

  const BLOCK = 2 * 3600;
  let samples = 0;
  const importing = new Set<Promise<void>>();
  for (let blockStart = Math.floor(firstStep / BLOCK) * BLOCK; blockStart < plan.toSeconds; blockStart += BLOCK) {
    const from = Math.max(firstStep, blockStart);
    const to = Math.min(plan.toSeconds, blockStart + BLOCK);
    const file = path.join(plan.scratchDir, `history-${blockStart}.om`);
    const fd = openSync(file, "w");
    for (const series of planned) {
      let text = "";
      for (let t = from; t < to; t += plan.intervalSeconds) {
        text += `${series.prefix}${series.value(t, t / plan.intervalSeconds)} ${t}\n`;
        samples++;
      }
      writeSync(fd, text);
    }
    writeSync(fd, "# EOF\n");
    closeSync(fd);
    const done: Promise<void> = promtool(file, plan.dataDir).finally(() => {
      rmSync(file, { force: true });
      importing.delete(done);
    });
    importing.add(done);
    if (importing.size >= 2) await Promise.race(importing);
  }
  await Promise.all(importing);
  return { samples, series: planned.length, seconds: (performance.now() - started) / 1000 };
}

function promtool(file: string, dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      PROMTOOL,
      ["tsdb", "create-blocks-from", "openmetrics", file, dataDir],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`promtool failed: ${stderr || stdout}`)) : resolve()),
    );
  });
}
