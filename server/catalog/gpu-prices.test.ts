import { describe, expect, it } from "vitest";

import { gpuPrices, hourlyCostUsd } from "./gpu-prices";

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("gpuPrices", () => {
  it("lays GPU_PRICES_JSON over the built-in list prices", () => {
    const prices = gpuPrices(env({ GPU_PRICES_JSON: '{"Standard_NC6s_v3": 1.5, "my-onprem-sku": 0}' }));
    expect(prices.Standard_NC6s_v3).toBe(1.5);
    expect(prices["my-onprem-sku"]).toBe(0);
    expect(prices.Standard_NC24ads_A100_v4).toBeGreaterThan(0);
    expect(hourlyCostUsd("Standard_NC6s_v3", 3, prices)).toBe(4.5);
  });

  it("names the variable when the JSON is malformed or a price is negative", () => {
    expect(() => gpuPrices(env({ GPU_PRICES_JSON: "{not json" }))).toThrow(/GPU_PRICES_JSON: must be a JSON object/);
    expect(() => gpuPrices(env({ GPU_PRICES_JSON: '{"g5.xlarge": -1}' }))).toThrow(/GPU_PRICES_JSON/);
  });
});
