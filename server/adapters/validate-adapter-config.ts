import "server-only";

import { findPreset, isHuggingFaceId } from "@/lib/kaito/presets";

import { AdapterError } from "./adapter-error";

export type AdapterConfig = {
  peft_type: "LORA";
  r: number;
  lora_alpha: number;
  target_modules: string[] | string;
  base_model_name_or_path: string;
  [key: string]: unknown;
};

export type AdapterConfigCheck = { config: AdapterConfig; warnings: string[] };

/** Most real adapter_config.json files are a few KiB; anything this large is not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const FIELD = "adapter_config.json";

function fail(message: string): never {
  throw new AdapterError("invalid_config", `adapter_config.json: ${message}`, FIELD);
}

/**
 * Checks a PEFT LoRA adapter_config.json. `presetName` is the base model the user chose; a
 * different `base_model_name_or_path` is only a warning because fine-tunes are often trained
 * from a local path or a mirror of the same weights.
 */
export function validateAdapterConfig(text: string, presetName: string): AdapterConfigCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) fail("must be a JSON object");
  const raw = parsed as Record<string, unknown>;

  if (raw.peft_type !== "LORA") {
    fail(`peft_type must be "LORA", found ${raw.peft_type === undefined ? "nothing" : JSON.stringify(raw.peft_type)}`);
  }
  if (!Number.isInteger(raw.r) || (raw.r as number) <= 0) fail("r must be a positive integer");
  if (typeof raw.lora_alpha !== "number" || !Number.isFinite(raw.lora_alpha) || raw.lora_alpha <= 0) {
    fail("lora_alpha must be a positive number");
  }
  const targets = raw.target_modules;
  // PEFT accepts a list of module names or one regular expression string.
  const targetsOk =
    (typeof targets === "string" && targets.length > 0) ||
    (Array.isArray(targets) && targets.length > 0 && targets.every((t) => typeof t === "string" && t.length > 0));
  if (!targetsOk) fail("target_modules must be a non-empty list of module names (or a regular expression string)");
  if (typeof raw.base_model_name_or_path !== "string" || raw.base_model_name_or_path.trim() === "") {
    fail("base_model_name_or_path must be a non-empty string");
  }

  const warnings: string[] = [];
  const expected = findPreset(presetName)?.huggingFaceId ?? (isHuggingFaceId(presetName) ? presetName : undefined);
  const base = raw.base_model_name_or_path as string;
  if (expected && base.toLowerCase() !== expected.toLowerCase()) {
    warnings.push(
      `base_model_name_or_path is "${base}" but the chosen base model ${presetName} is ${expected}; the adapter may not load`,
    );
  }
  return { config: raw as AdapterConfig, warnings };
}
