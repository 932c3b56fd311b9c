// The fleet's recording rules on a real Prometheus (Debian's, dev/prometheus): seven hours of
// synthetic vLLM and dcgm-exporter history backfilled with promtool, the fleet read from the raw
// series on a Prometheus without the rules, then the same hours recorded by the shipped rules
// (`promtool tsdb create-blocks-from rules`, Prometheus's own evaluator: the hourly records, then
// the 24 h and 7 d records from them) and read again: the figures agree, and the rules load and
// evaluate without error.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { freePort } from "@/dev/lib/ports";
import { backfillFleetRecords } from "@/dev/prometheus/backfill-fleet-records";
import { PROMTOOL, startLocalPrometheus, type LocalPrometheus } from "@/dev/prometheus/start-local-prometheus";
import { createKubeClient, type KubeClient } from "@/server/kube/kube-client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";
import { buildFleet, type FleetRow } from "@/server/metrics/build-fleet";
import { fleetRuleGroup, FLEET_RULE_GROUP, periodRecords } from "@/server/metrics/fleet-recording-rules";
import { createPrometheusClient } from "@/server/metrics/prometheus-client";
import { queryFleetSeries } from "@/server/metrics/query-fleet-series";
import type { TimeWindow } from "@/server/metrics/time-windows";

const INSTANCE = "Standard_NC6s_v3";
const PRICE = 3.06;
const dir = mkdtempSync(path.join(tmpdir(), "kd-fleet-rules-"));
const HOUR = 3600;
// History from 7 h before the last full hour to half an hour before it, one sample a minute.
const lastHour = Math.floor(Date.now() / 1000 / HOUR) * HOUR - HOUR;
const from = lastHour - 7 * HOUR;
const to = lastHour - 30 * 60;

/** Per Workspace: GPUs and their utilisation, output tokens/s, requests/s and TTFT buckets' shares. */
const workspaces = [
  { namespace: "team-a", name: "alpha", utils: [40, 60], tokensPerS: 50, requestsPerS: 0.5, fastShare: 0.97 },
  { namespace: "team-a", name: "beta", utils: [90], tokensPerS: 120, requestsPerS: 2, fastShare: 0.3 },
  { namespace: "team-b", name: "gamma", utils: [0], tokensPerS: 0, requestsPerS: 0, fastShare: 1 },
];
const BUCKETS = ["0.1", "0.5", "+Inf"];

function openMetrics(): string {
  const lines: string[] = [];
  const series = (name: string, labels: Record<string, string>, value: (s: number) => number) => {
    const l = Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(",");
    for (let t = from; t <= to; t += 60) lines.push(`${name}{${l}} ${value(t - from)} ${t}`);
  };
  for (const ws of workspaces) {
    const pod = `${ws.name}-0`;
    ws.utils.forEach((util, gpu) =>
      series(
        "DCGM_FI_DEV_GPU_UTIL",
        { gpu: String(gpu), UUID: `GPU-${ws.name}-${gpu}`, namespace: ws.namespace, pod },
        () => util,
      ),
    );
    const vllm = { namespace: ws.namespace, workspace: ws.name, pod, model_name: "phi-4" };
    series("vllm:generation_tokens_total", vllm, (s) => 1000 + Math.round(ws.tokensPerS * s));
    series("vllm:request_success_total", { ...vllm, finished_reason: "stop" }, (s) => Math.round(ws.requestsPerS * s));
    // Fast requests take ≤ 0.1 s, the others between 0.1 and 0.5 s.
    for (const le of BUCKETS)
      series("vllm:time_to_first_token_seconds_bucket", { ...vllm, le }, (s) =>
        Math.round(ws.requestsPerS * s * (le === "0.1" ? ws.fastShare : 1)),
      );
  }
  return `${lines.join("\n")}\n# EOF\n`;
}

let kube: KubeClient;
let prometheus: LocalPrometheus | undefined;

async function start(recordingRules: boolean | { interval: string }) {
  prometheus = await startLocalPrometheus({
    kube,
    dir,
    port: await freePort(),
    scrapeInterval: "15s",
    namespace: "kaito-dashboard",
    retention: "2d",
    // Nothing live is scraped: the figures come from the backfilled hours alone.
    targets: { modelServer: "127.0.0.1:9", gpuMetrics: "127.0.0.1:9", worker: "127.0.0.1:9" },
    recordingRules,
  });
  return prometheus;
}

async function fleetRows(url: string, period: TimeWindow) {
  // A new client each time: whether the records exist is remembered per client.
  const client = createPrometheusClient(url, 30_000);
  const { results, recordedAt, queries } = await queryFleetSeries(
    client,
    { period, idleHours: 24 },
    Math.floor(Date.now() / 1000),
  );
  const fleet = buildFleet(
    workspaces.map((w) => ({ namespace: w.namespace, name: w.name, model: "phi-4", instanceType: INSTANCE })),
    results,
    { [INSTANCE]: PRICE },
  );
  return { rows: fleet.rows, recordedAt, queries };
}

let raw: Record<"24h" | "7d", Awaited<ReturnType<typeof fleetRows>>>;

beforeAll(async () => {
  kube = await createKubeClient(loadKubeConfig().kc);
  const data = path.join(dir, "data");
  mkdirSync(data, { recursive: true });
  writeFileSync(path.join(dir, "history.om"), openMetrics());
  execFileSync(PROMTOOL, ["tsdb", "create-blocks-from", "openmetrics", path.join(dir, "history.om"), data]);

  const bare = await start(false);
  raw = { "24h": await fleetRows(bare.url, "24h"), "7d": await fleetRows(bare.url, "7d") };
  await bare.stop();
  // Prometheus's own rule evaluator records the backfilled hours, as a ruler would have live.
  await backfillFleetRecords({ dataDir: data, serve: () => start(false), start: from, end: lastHour + HOUR });
  // Evaluated every 5 s here instead of hourly, so that /api/v1/rules reports an evaluation;
  // with no live data, those evaluations record nothing that the sums would count.
  await start({ interval: "5s" });
}, 240_000);

afterAll(async () => {
  await prometheus?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const near = (actual: number | null, expected: number, relative: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(Math.abs(expected) * relative + 1e-9);
};

describe("the fleet's recording rules", () => {
  it("load into Prometheus and evaluate without error", async () => {
    const answer = await fetch(`${prometheus!.url}/api/v1/rules?type=record`).then((r) => r.json());
    const group = (
      answer.data.groups as { name: string; rules: { name: string; health: string; lastError?: string }[] }[]
    ).find((g) => g.name === FLEET_RULE_GROUP)!;
    expect(group.rules.map((r) => r.name)).toEqual(fleetRuleGroup().rules.map((r) => r.record));
    await expect
      .poll(
        async () => {
          const again = await fetch(`${prometheus!.url}/api/v1/rules?type=record`).then((r) => r.json());
          const rules = (again.data.groups as { name: string; rules: { health: string; lastError?: string }[] }[]).find(
            (g) => g.name === FLEET_RULE_GROUP,
          )!.rules;
          return rules.map((r) => `${r.health}${r.lastError ?? ""}`);
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toEqual(fleetRuleGroup().rules.map(() => "ok"));
  });

  it("read from the raw series on a Prometheus without the rules, with the figures the history holds", () => {
    expect(raw["24h"].recordedAt).toBeNull();
    expect(raw["24h"].queries.outputTokens).toContain("vllm:generation_tokens_total[24h]");
    const [alpha, beta, gamma] = raw["24h"].rows;
    const seconds = to - from;
    near(alpha.outputTokens, 50 * seconds, 0.01);
    near(beta.requests, 2 * seconds, 0.01);
    near(alpha.gpuUtil, 50, 0.001);
    near(alpha.gpuHours, (2 * seconds) / HOUR, 0.03);
    expect(alpha.ttftP95Seconds).toBeLessThanOrEqual(0.1);
    expect(beta.ttftP95Seconds).toBeGreaterThan(0.1);
    expect(gamma.requests).toBe(0);
  });

  it("gives the same fleet from the recorded series for 24 h and 7 d", async () => {
    for (const period of ["24h", "7d"] as const) {
      const recorded = await fleetRows(prometheus!.url, period);
      // The figures end at the rules' last evaluation (the backfill's or a live one since), which
      // the fleet reports.
      expect(recorded.recordedAt).toBeGreaterThan(lastHour - HOUR);
      expect(recorded.recordedAt).toBeLessThanOrEqual(Date.now() / 1000);
      expect(recorded.queries.outputTokens).toContain(periodRecords(period).outputTokens.record);
      recorded.rows.forEach((row: FleetRow, i) => {
        const before = raw[period].rows[i];
        expect(row.name).toBe(before.name);
        near(row.outputTokens, before.outputTokens, 0.01);
        near(row.requests, before.requests, 0.01);
        near(row.gpuUtil, before.gpuUtil!, 0.001);
        // The raw query counts held GPUs every step of the window (10 min over 24 h, 1 h over 7 d),
        // the records every 5 min: they agree within one of the raw query's steps per GPU.
        const step = period === "24h" ? 600 : HOUR;
        expect(Math.abs(row.gpuHours - before.gpuHours)).toBeLessThanOrEqual(
          (row.gpus || workspaces[i].utils.length) * (step / HOUR) + 1e-9,
        );
        if (before.ttftP95Seconds === null) expect(row.ttftP95Seconds).toBeNull();
        else near(row.ttftP95Seconds, before.ttftP95Seconds, 0.02);
        expect(row.idle).toBe(before.idle);
      });
      if (period === "24h") near(recorded.rows[0].costUsd, raw["24h"].rows[0].costUsd!, 0.03);
    }
  });
});
