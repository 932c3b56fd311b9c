import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

import type { V1Pod } from "@kubernetes/client-node";

import { LABEL_WORKSPACE } from "@/lib/kaito/labels";
import type { KubeClient } from "@/server/kube/kube-client";
import { renderFleetRuleFile } from "@/server/metrics/fleet-recording-rules";

import { podTargets } from "./pod-targets";
import { renderPrometheusConfig, type ScrapeTargets } from "./render-prometheus-config";

/** Debian's `prometheus` package; dev/lib/ensure-deps.mjs installs it for npm start and npm test. */
export const PROMETHEUS_BINARY = "/usr/bin/prometheus";
/** The same package's promtool: TSDB blocks from OpenMetrics files and from recording rules. */
export const PROMTOOL = "/usr/bin/promtool";

export type LocalPrometheusSettings = {
  kube: KubeClient;
  /** Configuration, data and log live here. */
  dir: string;
  port: number;
  targets: ScrapeTargets;
  namespace: string;
  scrapeInterval: string;
  /** How long data is kept; a day unless said otherwise (the bench keeps a backfilled week). */
  retention?: string;
  /**
   * Load the fleet's recording rules, as the chart's PrometheusRule does; true unless said
   * otherwise. `{ interval }` evaluates them more often than hourly (tests only).
   */
  recordingRules?: boolean | { interval: string };
};

export type LocalPrometheus = {
  url: string;
  pid: number;
  logFile: string;
  /** Settles when Prometheus exits, with its exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
};

/**
 * Prometheus on loopback for the local cluster, with the pod discovery it lacks served from this
 * process: the pods of Workspaces (label `kaito.sh/workspace`) as Kubernetes discovery lists them.
 */
export async function startLocalPrometheus(settings: LocalPrometheusSettings): Promise<LocalPrometheus> {
  const discovery = http.createServer((_req, res) => {
    const selector = encodeURIComponent(LABEL_WORKSPACE);
    settings.kube
      .request<{ items: V1Pod[] }>({ method: "GET", path: `/api/v1/pods?labelSelector=${selector}` })
      .then((list) => {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(podTargets(list.items)));
      })
      .catch((error: unknown) => {
        // Prometheus keeps the last good target list when discovery fails.
        res.writeHead(503, { "content-type": "text/plain" }).end(String(error));
      });
  });
  await new Promise<void>((resolve) => discovery.listen(0, "127.0.0.1", resolve));
  const discoveryUrl = `http://127.0.0.1:${(discovery.address() as AddressInfo).port}/pods`;

  mkdirSync(path.join(settings.dir, "data"), { recursive: true });
  const configFile = path.join(settings.dir, "prometheus.yml");
  const recordingRules = settings.recordingRules ?? true;
  if (recordingRules)
    writeFileSync(
      path.join(settings.dir, "fleet-rules.yml"),
      renderFleetRuleFile(recordingRules === true ? undefined : recordingRules.interval),
    );
  writeFileSync(
    configFile,
    renderPrometheusConfig({
      podDiscoveryUrl: discoveryUrl,
      targets: settings.targets,
      namespace: settings.namespace,
      scrapeInterval: settings.scrapeInterval,
      ruleFiles: recordingRules ? ["fleet-rules.yml"] : [],
    }),
  );
  const logFile = path.join(settings.dir, "prometheus.log");
  const log = createWriteStream(logFile, { flags: "a" });
  const url = `http://127.0.0.1:${settings.port}`;
  const child = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(settings.dir, "data")}`,
      `--storage.tsdb.retention.time=${settings.retention ?? "1d"}`,
      `--web.listen-address=127.0.0.1:${settings.port}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const stop = async () => {
    if (discovery.listening) discovery.close();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}; see ${logFile}`);
    const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not get ready on ${url} within 30 s; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, pid: child.pid!, logFile, exited, stop };
}
