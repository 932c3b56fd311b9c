import "server-only";

import { DEFAULT_GPU_PRICES_USD, GPU_SKUS, MODEL_PRESETS, type GpuSku, type ModelPreset } from "@/server/catalog";

export type BrowserCatalog = {
  presets: ModelPreset[];
  skus: GpuSku[];
  defaultPrices: Record<string, number>;
};

/** The catalog as plain data for client components (they cannot import server modules). */
export function catalogForBrowser(): BrowserCatalog {
  return { presets: [...MODEL_PRESETS], skus: [...GPU_SKUS], defaultPrices: { ...DEFAULT_GPU_PRICES_USD } };
}
