import "server-only";

import { randomBytes } from "node:crypto";
import { open, writeFile } from "node:fs/promises";
import path from "node:path";

/** Test and benchmark fixtures: a PEFT LoRA adapter folder with real-format files. */
export function adapterConfigJson(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    peft_type: "LORA",
    r: 8,
    lora_alpha: 16,
    lora_dropout: 0.05,
    target_modules: ["q_proj", "v_proj"],
    base_model_name_or_path: "microsoft/Phi-3-mini-4k-instruct",
    task_type: "CAUSAL_LM",
    ...overrides,
  });
}

export type TensorSpec = { name: string; dtype: string; shape: number[] };

export function safetensorsHeader(tensors: TensorSpec[], bytesPerElement = 2): { header: Buffer; dataBytes: number } {
  let offset = 0;
  const json: Record<string, unknown> = { __metadata__: { format: "pt" } };
  for (const t of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1) * bytesPerElement;
    json[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  const header = Buffer.from(JSON.stringify(json));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(header.length));
  return { header: Buffer.concat([prefix, header]), dataBytes: offset };
}

/** A small, valid F16 LoRA safetensors file (two adapted projections), fully in memory. */
export function smallSafetensors(): Buffer {
  const tensors = ["q_proj", "v_proj"].flatMap((proj) => [
    { name: `base_model.model.layers.0.self_attn.${proj}.lora_A.weight`, dtype: "F16", shape: [8, 64] },
    { name: `base_model.model.layers.0.self_attn.${proj}.lora_B.weight`, dtype: "F16", shape: [64, 8] },
  ]);
  const { header, dataBytes } = safetensorsHeader(tensors);
  return Buffer.concat([header, randomBytes(dataBytes)]);
}

/**
 * Writes a safetensors file of about `totalBytes` made of F16 LoRA pairs, filling the data with
 * random bytes in chunks (so generating a GiB never holds more than a chunk).
 */
export async function writeLargeSafetensors(filePath: string, totalBytes: number): Promise<number> {
  const rank = 16;
  const hidden = 4096;
  const pairBytes = 2 * rank * hidden * 2;
  const layers = Math.max(1, Math.floor(totalBytes / pairBytes));
  const tensors: TensorSpec[] = [];
  for (let i = 0; i < layers; i++) {
    tensors.push({
      name: `base_model.model.layers.${i}.self_attn.q_proj.lora_A.weight`,
      dtype: "F16",
      shape: [rank, hidden],
    });
    tensors.push({
      name: `base_model.model.layers.${i}.self_attn.q_proj.lora_B.weight`,
      dtype: "F16",
      shape: [hidden, rank],
    });
  }
  const { header, dataBytes } = safetensorsHeader(tensors);
  const handle = await open(filePath, "w");
  try {
    await handle.write(header);
    const chunk = randomBytes(8 * 1024 * 1024);
    for (let written = 0; written < dataBytes;) {
      const n = Math.min(chunk.length, dataBytes - written);
      await handle.write(chunk, 0, n);
      written += n;
    }
  } finally {
    await handle.close();
  }
  return header.length + dataBytes;
}

export async function writeAdapterFolder(dir: string, configOverrides: Record<string, unknown> = {}): Promise<void> {
  await writeFile(path.join(dir, "adapter_config.json"), adapterConfigJson(configOverrides));
  await writeFile(path.join(dir, "adapter_model.safetensors"), smallSafetensors());
}
