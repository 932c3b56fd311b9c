import "server-only";

import { checkGpuFit } from "@/lib/kaito/gpu-fit";
import { GPU_SKUS, type GpuSku } from "@/lib/kaito/gpu-skus";
import { MODEL_PRESETS, type ModelPreset } from "@/lib/kaito/presets";
import { gpuPrices } from "@/server/catalog/gpu-prices";

export type BrowserCatalog = {
  presets: ModelPreset[];
  skus: GpuSku[];
  defaultPrices: Record<string, number>;
};

/** The catalog as plain data for client components (they cannot import server modules). */
export function catalogForBrowser(): BrowserCatalog {
  return { presets: [...MODEL_PRESETS], skus: [...GPU_SKUS], defaultPrices: { ...gpuPrices() } };
}

/**
 * The instance type a new workspace starts with: the cheapest (by the installation's price list) on
 * which the model fits on one node, among the sizes upstream Kaito still takes before those it
 * refuses (a Workspace made here must also run under upstream's controller). Unknown models get
 * the seed document's SKU.
 */
export function suggestInstanceType(modelName: string): string {
  const price = (sku: GpuSku) => gpuPrices()[sku.name] ?? Infinity;
  const fitting = GPU_SKUS.filter((sku) => checkGpuFit(modelName, sku.name, 1).kind === "fits").sort(
    (a, b) => Number(a.deprecatedUpstream) - Number(b.deprecatedUpstream) || price(a) - price(b),
  );
  return fitting[0]?.name ?? "Standard_NC6s_v3";
}
