import "server-only";

import { z } from "zod";

import { parseEnv } from "@/server/env";

const schema = z.object({
  /**
   * The Prometheus that KEDA's Prometheus scaler queries for an InferenceSet's ScaledObject
   * (docs/controller.md, "Autoscaling"); it must scrape the model servers' /metrics.
   */
  INFERENCESET_KEDA_PROMETHEUS_URL: z.url().default("http://prometheus-server.monitoring.svc:9090"),
});

export type InferenceSetConfig = z.infer<typeof schema>;

export function inferenceSetConfig(source: NodeJS.ProcessEnv = process.env): InferenceSetConfig {
  return parseEnv("inferenceset controller", schema, source);
}
