import type { GpuSku, ModelPreset } from "@/server/catalog";

export type FitVerdict = { kind: "fits" | "too-small" | "unknown"; summary: string; reason: string };

const gib = (value: number) => `${Number(value.toFixed(2))} GiB`;

/**
 * The create form's GPU-fit indicator. Same rule as Kaito's admission check (and the server's
 * validation): nodes × the node's total GPU memory must hold the model's weight files.
 */
export function describeGpuFit(
  preset: ModelPreset | undefined,
  sku: GpuSku | undefined,
  nodeCount: number,
): FitVerdict {
  const nodes = Math.max(1, nodeCount || 1);
  if (!sku)
    return {
      kind: "unknown",
      summary: "Pick an instance type",
      reason: "The GPU memory of an unknown instance type cannot be checked.",
    };
  const available = sku.totalGpuMemoryGiB * nodes;
  const shape = `${nodes} × ${sku.gpuCount} ${sku.gpuModel} = ${sku.gpuCount * nodes} GPU${sku.gpuCount * nodes > 1 ? "s" : ""}, ${gib(available)}`;
  if (!preset)
    return {
      kind: "unknown",
      summary: shape,
      reason: "Not a preset: the model's size is unknown, so the fit is not checked.",
    };
  if (available >= preset.weightsGiB)
    return {
      kind: "fits",
      summary: shape,
      reason: `${preset.name} needs ${gib(preset.weightsGiB)} for its weights; ${gib(available - preset.weightsGiB)} left for the KV cache.`,
    };
  return {
    kind: "too-small",
    summary: shape,
    reason: `${preset.name} needs at least ${gib(preset.weightsGiB)} of GPU memory for its weights, ${gib(preset.weightsGiB - available)} more than ${nodes > 1 ? `${nodes} nodes of ` : ""}${sku.name} has.`,
  };
}
