/** A Kaito model preset: the figures upstream publishes for each supported model. */
export type ModelPreset = {
  name: string;
  huggingFaceId: string;
  family: string;
  /** Older, conservative total GPU memory requirement; null where upstream no longer states one. */
  gpuMemoryGiB: number | null;
  /** Size of the weight files: the figure the current upstream fit check uses. */
  weightsGiB: number;
  /** NodeClaim storage request. */
  diskGiB: number;
  contextLength: number;
  tuning: boolean;
  distributed: boolean;
  /** Gated on HuggingFace: the Workspace must name a modelAccessSecret holding HF_TOKEN. */
  needsHfToken: boolean;
};

type Row = [string, string, number | null, number, number, number, boolean, boolean, boolean];

const rows: Row[] = [
  ["phi-3-mini-4k-instruct", "microsoft/Phi-3-mini-4k-instruct", 9, 7.12, 80, 4096, true, false, false],
  ["phi-3-mini-128k-instruct", "microsoft/Phi-3-mini-128k-instruct", 9, 7.12, 80, 131072, true, false, false],
  ["phi-3-medium-4k-instruct", "microsoft/Phi-3-medium-4k-instruct", 28, 26, 120, 4096, true, false, false],
  ["phi-3-medium-128k-instruct", "microsoft/Phi-3-medium-128k-instruct", 28, 26, 120, 131072, true, false, false],
  ["phi-3.5-mini-instruct", "microsoft/Phi-3.5-mini-instruct", 8, 7.12, 70, 131072, true, false, false],
  ["phi-4", "microsoft/phi-4", 40, 27.31, 150, 16384, true, false, false],
  ["phi-4-mini-instruct", "microsoft/Phi-4-mini-instruct", 8, 7.15, 70, 131072, true, false, false],
  ["falcon-7b", "tiiuae/falcon-7b", 14, 13.44, 90, 2048, true, false, false],
  ["falcon-7b-instruct", "tiiuae/falcon-7b-instruct", 14, 13.44, 90, 2048, false, false, false],
  ["falcon-40b", "tiiuae/falcon-40b", 90, 77.9, 280, 2048, true, false, false],
  ["falcon-40b-instruct", "tiiuae/falcon-40b-instruct", 90, 77.9, 280, 2048, false, false, false],
  ["mistral-7b", "mistralai/Mistral-7B-v0.3", 14, 13.5, 90, 32768, true, false, false],
  ["mistral-7b-instruct", "mistralai/Mistral-7B-Instruct-v0.3", 16, 13.5, 90, 32768, false, false, false],
  ["ministral-3-3b-instruct", "mistralai/Ministral-3-3B-Instruct-2512", null, 4.35, 70, 262144, false, false, false],
  ["ministral-3-8b-instruct", "mistralai/Ministral-3-8B-Instruct-2512", null, 9.7, 100, 262144, false, false, false],
  [
    "ministral-3-14b-instruct",
    "mistralai/Ministral-3-14B-Instruct-2512",
    null,
    14.65,
    100,
    262144,
    false,
    false,
    false,
  ],
  [
    "mistral-large-3-675b-instruct",
    "mistralai/Mistral-Large-3-675B-Instruct-2512",
    null,
    634.7,
    800,
    294912,
    false,
    true,
    false,
  ],
  ["llama-3.1-8b-instruct", "meta-llama/Llama-3.1-8B-Instruct", 22, 14.96, 110, 131072, false, true, true],
  ["llama-3.3-70b-instruct", "meta-llama/Llama-3.3-70B-Instruct", 320, 131.42, 220, 131072, false, true, true],
  ["qwen2.5-coder-7b-instruct", "Qwen/Qwen2.5-Coder-7B-Instruct", 24, 14.19, 110, 32768, true, false, false],
  ["qwen2.5-coder-32b-instruct", "Qwen/Qwen2.5-Coder-32B-Instruct", 70, 61.03, 230, 32768, true, false, false],
  [
    "deepseek-r1-distill-llama-8b",
    "deepseek-ai/DeepSeek-R1-Distill-Llama-8B",
    16.5,
    14.96,
    90,
    131072,
    false,
    false,
    false,
  ],
  [
    "deepseek-r1-distill-qwen-14b",
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B",
    25.7,
    27.51,
    120,
    131072,
    false,
    false,
    false,
  ],
  ["deepseek-r1-0528", "deepseek-ai/DeepSeek-R1-0528", 960, 641.3, 800, 163840, false, true, false],
  ["deepseek-v3-0324", "deepseek-ai/DeepSeek-V3-0324", 960, 641.3, 800, 163840, false, true, false],
  ["gemma-3-4b-instruct", "google/gemma-3-4b-it", null, 8.01, 90, 131072, false, false, false],
  ["gemma-3-27b-instruct", "google/gemma-3-27b-it", null, 51.1, 200, 131072, false, false, false],
  ["gpt-oss-20b", "openai/gpt-oss-20b", null, 25.63, 110, 131072, false, false, false],
  ["gpt-oss-120b", "openai/gpt-oss-120b", null, 121.54, 250, 131072, false, false, false],
  // Curated since v0.12 under their HuggingFace id only: upstream has no short name for them.
  [
    "nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16",
    "nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16",
    null,
    7.4,
    70,
    262144,
    false,
    false,
    false,
  ],
  [
    "nvidia/NVIDIA-Nemotron-Nano-9B-v2",
    "nvidia/NVIDIA-Nemotron-Nano-9B-v2",
    null,
    16.56,
    90,
    131072,
    false,
    false,
    false,
  ],
  [
    "nvidia/NVIDIA-Nemotron-Nano-12B-v2-VL-BF16",
    "nvidia/NVIDIA-Nemotron-Nano-12B-v2-VL-BF16",
    null,
    24.55,
    110,
    131072,
    false,
    false,
    false,
  ],
  [
    "nvidia/Nemotron-Cascade-2-30B-A3B",
    "nvidia/Nemotron-Cascade-2-30B-A3B",
    null,
    58.82,
    200,
    262144,
    false,
    false,
    false,
  ],
  [
    "nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16",
    "nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16",
    null,
    58.82,
    200,
    262144,
    false,
    false,
    false,
  ],
  [
    "nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-BF16",
    "nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-BF16",
    null,
    230.25,
    420,
    262144,
    false,
    true,
    false,
  ],
  ["Qwen/Qwen3-8B-AWQ", "Qwen/Qwen3-8B-AWQ", null, 5.68, 70, 40960, false, false, false],
];

/** "phi-3-mini-4k-instruct" → "phi"; "nvidia/NVIDIA-Nemotron-Nano-9B-v2" → "nemotron". */
function familyOf(name: string): string {
  const model = name
    .split("/")
    .pop()!
    .toLowerCase()
    .replace(/^nvidia-/, "");
  return model.split(/[-.]/)[0];
}

export const MODEL_PRESETS: readonly ModelPreset[] = rows.map(
  ([name, huggingFaceId, gpuMemoryGiB, weightsGiB, diskGiB, contextLength, tuning, distributed, needsHfToken]) => ({
    name,
    huggingFaceId,
    family: familyOf(name),
    gpuMemoryGiB,
    weightsGiB,
    diskGiB,
    contextLength,
    tuning,
    distributed,
    needsHfToken,
  }),
);

/** Presets upstream removed; a Workspace naming one is rejected with upstream's message. */
export const DEPRECATED_PRESETS: Readonly<Record<string, string>> = {
  "phi-2": "Model phi-2 is deprecated and no longer supported",
};

/** NodeClaim storage request when the model is not a preset (upstream's fallback). */
export const DEFAULT_DISK_GIB = 1024;

const byName = new Map(MODEL_PRESETS.map((p) => [p.name, p]));
const byHuggingFaceId = new Map(MODEL_PRESETS.map((p) => [p.huggingFaceId.toLowerCase(), p]));

/**
 * A preset by its short name or, as upstream's curated catalog is keyed since v0.12, by its
 * HuggingFace id (HuggingFace ids are case-insensitive).
 */
export function findPreset(name: string): ModelPreset | undefined {
  return byName.get(name) ?? byHuggingFaceId.get(name.toLowerCase());
}

/** A free-form HuggingFace id such as "Qwen/Qwen3-0.6B", accepted best effort. */
export function isHuggingFaceId(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name);
}

/**
 * The model id OpenAI clients send. Current upstream serves the lower-cased last
 * segment of the HuggingFace id; releases up to 0.10 served the preset name.
 */
export function servedModelId(presetOrHfId: string): string {
  const preset = findPreset(presetOrHfId);
  const hfId = preset ? preset.huggingFaceId : presetOrHfId;
  return hfId.split("/").pop()!.toLowerCase();
}

export type ModelNameCheck = { ok: true; preset: boolean } | { ok: false; message: string };

/** A Workspace's model: a current preset or a HuggingFace id; a removed preset gets upstream's message. */
export function checkModelName(name: string): ModelNameCheck {
  if (DEPRECATED_PRESETS[name]) return { ok: false, message: DEPRECATED_PRESETS[name] };
  if (findPreset(name)) return { ok: true, preset: true };
  if (isHuggingFaceId(name)) return { ok: true, preset: false };
  return {
    ok: false,
    message: `Unsupported preset name ${name}: use a preset from the catalog or a HuggingFace id such as org/model`,
  };
}
