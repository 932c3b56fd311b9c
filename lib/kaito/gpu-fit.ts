import { findSku, type GpuSku } from "./gpu-skus";
import { findPreset, type ModelPreset } from "./presets";

/**
 * Kaito's fit rule, the one copy: nodes × the node's total GPU memory must hold the model's weight
 * files. The server's validation and the create form's indicator both ask this function.
 */
export function measureGpuFit(preset: ModelPreset, sku: GpuSku, nodeCount: number) {
  const nodes = Math.max(1, nodeCount || 1);
  const availableGiB = sku.totalGpuMemoryGiB * nodes;
  const requiredGiB = preset.weightsGiB;
  return { nodes, availableGiB, requiredGiB, fits: availableGiB >= requiredGiB };
}

export type GpuFit =
  | { kind: "fits"; availableGiB: number; requiredGiB: number }
  | { kind: "too-small"; availableGiB: number; requiredGiB: number; message: string }
  | { kind: "unknown-size"; message: string }
  | { kind: "unknown-sku"; message: string };

/** Upstream prints quantities such as "16Gi"; keep the same spelling in messages users search for. */
export function formatGiB(value: number): string {
  return `${Number(value.toFixed(2))}Gi`;
}

/** The validation verdict by name, with upstream's message word for word. */
export function checkGpuFit(modelName: string, instanceType: string, nodeCount: number): GpuFit {
  const sku = findSku(instanceType);
  if (!sku)
    return { kind: "unknown-sku", message: `Unknown instance type ${instanceType}: GPU memory cannot be checked` };
  const preset = findPreset(modelName);
  if (!preset)
    return {
      kind: "unknown-size",
      message: `Model ${modelName} is not a preset: its size is unknown, so GPU memory is not checked`,
    };
  const { availableGiB, requiredGiB, fits } = measureGpuFit(preset, sku, nodeCount);
  if (fits) return { kind: "fits", availableGiB, requiredGiB };
  return {
    kind: "too-small",
    availableGiB,
    requiredGiB,
    message: `Insufficient total GPU memory: Instance type ${instanceType} has a total of ${formatGiB(availableGiB)}, but preset ${modelName} requires at least ${formatGiB(requiredGiB)}`,
  };
}

export type FitVerdict = { kind: "fits" | "too-small" | "unknown"; summary: string; reason: string };

const gib = (value: number) => `${Number(value.toFixed(2))} GiB`;

/** The create form's GPU-fit indicator: the same rule, said for a person choosing a machine. */
export function describeGpuFit(
  preset: ModelPreset | undefined,
  sku: GpuSku | undefined,
  nodeCount: number,
): FitVerdict {
  if (!sku)
    return {
      kind: "unknown",
      summary: "Pick an instance type",
      reason: "The GPU memory of an unknown instance type cannot be checked.",
    };
  const nodes = Math.max(1, nodeCount || 1);
  const available = sku.totalGpuMemoryGiB * nodes;
  const gpus = sku.gpuCount * nodes;
  const shape = `${nodes} × ${sku.gpuCount} ${sku.gpuModel} = ${gpus} GPU${gpus > 1 ? "s" : ""}, ${gib(available)}`;
  if (!preset)
    return {
      kind: "unknown",
      summary: shape,
      reason: "Not a preset: the model's size is unknown, so the fit is not checked.",
    };
  const { requiredGiB, fits } = measureGpuFit(preset, sku, nodes);
  if (fits)
    return {
      kind: "fits",
      summary: shape,
      reason: `${preset.name} needs ${gib(requiredGiB)} for its weights; ${gib(available - requiredGiB)} left for the KV cache.`,
    };
  return {
    kind: "too-small",
    summary: shape,
    reason: `${preset.name} needs at least ${gib(requiredGiB)} of GPU memory for its weights, ${gib(requiredGiB - available)} more than ${nodes > 1 ? `${nodes} nodes of ` : ""}${sku.name} has.`,
  };
}
