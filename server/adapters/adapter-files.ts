import "server-only";

import { AdapterError } from "./adapter-error";

export const CONFIG_FILE = "adapter_config.json";
export const WEIGHTS_FILE = "adapter_model.safetensors";

/** What a PEFT adapter folder holds besides the two required files; anything else is refused. */
const OPTIONAL_FILES = new Set([
  "tokenizer.json",
  "tokenizer_config.json",
  "tokenizer.model",
  "special_tokens_map.json",
  "added_tokens.json",
  "vocab.json",
  "merges.txt",
  "chat_template.jinja",
  "README.md",
]);

export function isAllowedAdapterFile(name: string): boolean {
  return name === CONFIG_FILE || name === WEIGHTS_FILE || OPTIONAL_FILES.has(name);
}

export function isArchiveName(name: string): "tar.gz" | "zip" | null {
  const lower = name.toLowerCase();
  if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) return "tar.gz";
  if (lower.endsWith(".zip")) return "zip";
  return null;
}

export function assertAllowedAdapterFile(name: string, field = "files"): void {
  if (!isAllowedAdapterFile(name)) {
    throw new AdapterError(
      "invalid_input",
      `${name} is not part of a LoRA adapter; expected ${CONFIG_FILE}, ${WEIGHTS_FILE} and optionally ${[...OPTIONAL_FILES].join(", ")}`,
      field,
    );
  }
}

export function assertRequiredFiles(names: Iterable<string>): void {
  const present = new Set(names);
  const missing = [CONFIG_FILE, WEIGHTS_FILE].filter((n) => !present.has(n));
  if (missing.length > 0) {
    throw new AdapterError("invalid_input", `Missing ${missing.join(" and ")}`, "files");
  }
}
