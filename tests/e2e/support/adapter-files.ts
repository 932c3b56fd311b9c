import { randomBytes } from "node:crypto";

/** A small but well-formed F16 LoRA safetensors file, as the upload validates it. */
export function loraSafetensors(): Buffer {
  const tensors: Record<string, unknown> = {};
  let offset = 0;
  for (const name of ["q_proj.lora_A.weight", "q_proj.lora_B.weight"]) {
    tensors[`base_model.model.layers.0.self_attn.${name}`] = {
      dtype: "F16",
      shape: [8, 32],
      data_offsets: [offset, offset + 512],
    };
    offset += 512;
  }
  const header = Buffer.from(JSON.stringify(tensors));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([length, header, randomBytes(offset)]);
}
