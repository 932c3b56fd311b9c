import "server-only";

import { findSku } from "./gpu-skus";
import { DEPRECATED_PRESETS, findPreset, isHuggingFaceId } from "./presets";

export type GpuFit =
  | { kind: "fits"; availableGiB: number; requiredGiB: number }
  | { kind: "too-small"; availableGiB: number; requiredGiB: number; message: string }
  | { kind: "unknown-size"; message: string }
  | { kind: "unknown-sku"; message: string };

/** Upstream prints quantities such as "16Gi"; keep the same spelling in messages users search for. */
export function formatGiB(value: number): string {
  return `${Number(value.toFixed(2))}Gi`;
}

/**
 * Kaito's fit rule: count × the node's total GPU memory must hold the weight files.
 * The message is upstream's, word for word.
 */
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
  const availableGiB = sku.totalGpuMemoryGiB * Math.max(1, nodeCount);
  const requiredGiB = preset.weightsGiB;
  if (availableGiB >= requiredGiB) return { kind: "fits", availableGiB, requiredGiB };
  return {
    kind: "too-small",
    availableGiB,
    requiredGiB,
    message: `Insufficient total GPU memory: Instance type ${instanceType} has a total of ${formatGiB(availableGiB)}, but preset ${modelName} requires at least ${formatGiB(requiredGiB)}`,
  };
}

export type ModelNameCheck = { ok: true; preset: boolean } | { ok: false; message: string };

export function checkModelName(name: string): ModelNameCheck {
  if (DEPRECATED_PRESETS[name]) return { ok: false, message: DEPRECATED_PRESETS[name] };
  if (findPreset(name)) return { ok: true, preset: true };
  if (isHuggingFaceId(name)) return { ok: true, preset: false };
  return {
    ok: false,
    message: `Unsupported preset name ${name}: use a preset from the catalog or a HuggingFace id such as org/model`,
  };
}
