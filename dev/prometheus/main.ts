// The local cluster's Prometheus (npm start and the end-to-end stack): Debian's prometheus on
// loopback, a generated configuration in PROMETHEUS_DIR, one day of retention (docs/metrics.md).
import path from "node:path";

import { z } from "zod";

import { parseEnv } from "@/server/env";
import { createKubeClient } from "@/server/kube/kube-client";
import { loadKubeConfig } from "@/server/kube/kubeconfig";

import { startLocalPrometheus } from "./start-local-prometheus";

const hostPort = z.string().regex(/^[\w.-]+:\d+$/, "expected host:port");
const config = parseEnv(
  "local Prometheus",
  z.object({
    PROMETHEUS_PORT: z.coerce.number().int().min(1).max(65535).default(9095),
    PROMETHEUS_DIR: z.string().default(".data/prometheus"),
    PROMETHEUS_SCRAPE_INTERVAL: z
      .string()
      .regex(/^\d+s$/, "seconds, e.g. 5s")
      .default("5s"),
    PROMETHEUS_MODEL_SERVER_TARGET: hostPort.default("127.0.0.1:8000"),
    PROMETHEUS_GPU_METRICS_TARGET: hostPort.default("127.0.0.1:9400"),
    PROMETHEUS_WORKER_TARGET: hostPort.default("127.0.0.1:9464"),
    PROMETHEUS_WEB_TARGET: hostPort.optional(),
    PROMETHEUS_TARGET_NAMESPACE: z.string().min(1).default("kaito-dashboard"),
  }),
);

const prometheus = await startLocalPrometheus({
  kube: await createKubeClient(loadKubeConfig().kc),
  dir: path.resolve(config.PROMETHEUS_DIR),
  port: config.PROMETHEUS_PORT,
  scrapeInterval: config.PROMETHEUS_SCRAPE_INTERVAL,
  namespace: config.PROMETHEUS_TARGET_NAMESPACE,
  targets: {
    modelServer: config.PROMETHEUS_MODEL_SERVER_TARGET,
    gpuMetrics: config.PROMETHEUS_GPU_METRICS_TARGET,
    worker: config.PROMETHEUS_WORKER_TARGET,
    web: config.PROMETHEUS_WEB_TARGET,
  },
});
console.log(`Prometheus ready on ${prometheus.url} (log: ${prometheus.logFile})`);
void prometheus.exited.then((code) => {
  console.error(`prometheus exited (${code}); see ${prometheus.logFile}`);
  process.exit(1);
});

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => void prometheus.stop().then(() => process.exit(0)));
