import "server-only";

import { z } from "zod";

import { parseEnv } from "@/server/env";

export type MetricsConfig = { prometheusUrl?: string; timeoutMs: number; webMetricsPort?: number };

let config: MetricsConfig | undefined;

/**
 * Where the dashboard reads serving metrics: the cluster's Prometheus (kube-prometheus-stack and
 * the like), or the local one `npm start` runs. Unset, the metrics views say so and nothing else breaks.
 */
export function readMetricsConfig(): MetricsConfig {
  if (config) return config;
  const env = parseEnv(
    "metrics",
    z.object({
      PROMETHEUS_URL: z.url({ protocol: /^https?$/ }).optional(),
      PROMETHEUS_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
      // The web process's own /metrics (proxy series); unset, it serves none.
      WEB_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    }),
  );
  config = {
    prometheusUrl: env.PROMETHEUS_URL?.replace(/\/+$/, ""),
    timeoutMs: env.PROMETHEUS_TIMEOUT_MS,
    webMetricsPort: env.WEB_METRICS_PORT,
  };
  return config;
}
