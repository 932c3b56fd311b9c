import "server-only";

import { findPreset } from "@/lib/kaito/presets";

/**
 * How an adapter's base model (adapter_config.json's base_model_name_or_path) relates to the
 * model a Workspace serves. A LoRA adapter holds weight deltas for one base model's layers: on
 * another model it fails to load or, worse, loads and quietly degrades the answers (#16).
 * - same: the same model;
 * - same-family: a sibling (Phi-3-mini 4k vs 128k): often the same shapes, still not the model it was trained on;
 * - different: another model;
 * - unknown: the Workspace runs a custom template, so its model cannot be told.
 */
export type BaseModelMatch = "same" | "same-family" | "different" | "unknown";

/** The HuggingFace id a preset name or id stands for, lower-cased; null when it cannot be told. */
export function resolveBaseModel(model: string | null | undefined): string | null {
  if (!model) return null;
  return (findPreset(model)?.huggingFaceId ?? model).toLowerCase();
}

/** "microsoft/Phi-3-mini-128k-instruct" → "phi-3-mini": the model without its tuning and context-length suffixes. */
export function modelFamily(model: string): string {
  return (model.toLowerCase().split("/").at(-1) ?? "").replace(/-(instruct|chat|it)(-\d+)?$/, "").replace(/-\d+k$/, "");
}

export function compareBaseModels(adapterBase: string, workspaceModel: string | null): BaseModelMatch {
  const workspaceBase = resolveBaseModel(workspaceModel);
  const base = resolveBaseModel(adapterBase);
  if (!workspaceBase || !base) return "unknown";
  if (workspaceBase === base) return "same";
  return modelFamily(workspaceBase) === modelFamily(base) ? "same-family" : "different";
}
