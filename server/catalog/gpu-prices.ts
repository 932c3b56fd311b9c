import "server-only";

import { z } from "zod";

import { parseEnv } from "@/server/env";

/**
 * Default on-demand hourly list prices in USD. Upstream Kaito has no prices; these are
 * starting values only and every installation overrides them (Settings, or GPU_PRICES_JSON).
 */
export const DEFAULT_GPU_PRICES_USD: Readonly<Record<string, number>> = {
  Standard_NC6s_v3: 3.06,
  Standard_NC12s_v3: 6.12,
  Standard_NC24s_v3: 12.24,
  Standard_NC24rs_v3: 13.46,
  Standard_NC4as_T4_v3: 0.53,
  Standard_NC8as_T4_v3: 0.75,
  Standard_NC16as_T4_v3: 1.2,
  Standard_NC64as_T4_v3: 4.35,
  Standard_NV36ads_A10_v5: 3.2,
  Standard_NV72ads_A10_v5: 6.52,
  Standard_NC24ads_A100_v4: 3.67,
  Standard_NC48ads_A100_v4: 7.35,
  Standard_NC96ads_A100_v4: 14.69,
  Standard_ND96asr_A100_v4: 27.2,
  Standard_ND96amsr_A100_v4: 32.77,
  Standard_NC40ads_H100_v5: 6.98,
  Standard_NC80adis_H100_v5: 13.96,
  Standard_ND96isr_H100_v5: 98.32,
  Standard_ND96isr_H200_v5: 110.0,
  "p4d.24xlarge": 32.77,
  "p4de.24xlarge": 40.97,
  "p5.48xlarge": 98.32,
  "p5e.48xlarge": 110.0,
  "p5en.48xlarge": 110.0,
  "g5.xlarge": 1.01,
  "g5.2xlarge": 1.21,
  "g5.4xlarge": 1.62,
  "g5.8xlarge": 2.45,
  "g5.16xlarge": 4.1,
  "g5.12xlarge": 5.67,
  "g5.24xlarge": 8.14,
  "g5.48xlarge": 16.29,
  "g6.xlarge": 0.8,
  "g6.2xlarge": 0.98,
  "g6.4xlarge": 1.32,
  "g6.8xlarge": 2.01,
  "g6.16xlarge": 3.4,
  "g6.12xlarge": 4.6,
  "g6.24xlarge": 6.68,
  "g6.48xlarge": 13.35,
};

const priceOverrides = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (!text) return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: 'must be a JSON object such as {"Standard_NC6s_v3": 3.06}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), z.number().nonnegative()));

let configured: Readonly<Record<string, number>> | undefined;

/** The installation's price table: GPU_PRICES_JSON (the chart's `gpuPrices`) over the defaults. */
export function gpuPrices(source: NodeJS.ProcessEnv = process.env): Readonly<Record<string, number>> {
  if (source !== process.env) return mergePrices(source);
  configured ??= mergePrices(source);
  return configured;
}

function mergePrices(source: NodeJS.ProcessEnv): Readonly<Record<string, number>> {
  const { GPU_PRICES_JSON } = parseEnv("GPU price", z.object({ GPU_PRICES_JSON: priceOverrides }), source);
  return { ...DEFAULT_GPU_PRICES_USD, ...GPU_PRICES_JSON };
}

export function hourlyCostUsd(
  instanceType: string,
  nodeCount: number,
  prices: Readonly<Record<string, number>> = gpuPrices(),
): number | undefined {
  const price = prices[instanceType];
  return price === undefined ? undefined : Math.round(price * nodeCount * 100) / 100;
}
