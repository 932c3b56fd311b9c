import "server-only";

import { open } from "node:fs/promises";
import { AdapterError } from "./adapter-error";

/** Bytes per element. Sub-byte float formats (F4, F6_*) are not used by LoRA adapters and are refused. */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  F8_E8M0: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

/** The reference implementation refuses headers above 100 MB; so do we. */
export const MAX_HEADER_BYTES = 100_000_000;

export type TensorInfo = { name: string; dtype: string; shape: number[]; begin: number; end: number };
export type SafetensorsSummary = {
  tensors: TensorInfo[];
  metadata: Record<string, string>;
  headerBytes: number;
  dataBytes: number;
  parameterCount: number;
};

const FIELD = "adapter_model.safetensors";

function fail(message: string): never {
  throw new AdapterError("invalid_safetensors", `adapter_model.safetensors: ${message}`, FIELD);
}

/**
 * Reads and checks only the header of a safetensors file on disk: the tensors themselves may be
 * gigabytes and are never read.
 */
export async function readSafetensorsHeader(filePath: string): Promise<SafetensorsSummary> {
  const handle = await open(filePath, "r");
  try {
    const { size } = await handle.stat();
    if (size < 8) fail(`the file is ${size} bytes, too short for the 8-byte header length`);
    const lengthBytes = Buffer.alloc(8);
    await handle.read(lengthBytes, 0, 8, 0);
    const headerLength = lengthBytes.readBigUInt64LE(0);
    if (headerLength > BigInt(MAX_HEADER_BYTES))
      fail(`header length ${headerLength} exceeds ${MAX_HEADER_BYTES} bytes`);
    if (headerLength > BigInt(size - 8)) {
      fail(
        `header length ${headerLength} runs past the end of the file (${size} bytes): the file is truncated or not safetensors`,
      );
    }
    const header = Buffer.alloc(Number(headerLength));
    await handle.read(header, 0, header.length, 8);
    return validateSafetensorsHeader(header, size);
  } finally {
    await handle.close();
  }
}

/** Checks a header (the JSON bytes after the length prefix) against the total file size. */
export function validateSafetensorsHeader(header: Buffer, fileSize: number): SafetensorsSummary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(header));
  } catch (error) {
    fail(`the header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) fail("the header must be a JSON object");

  const dataBytes = fileSize - 8 - header.length;
  let metadata: Record<string, string> = {};
  const tensors: TensorInfo[] = [];
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof value !== "object" || value === null || Object.values(value).some((v) => typeof v !== "string")) {
        fail("__metadata__ must map strings to strings");
      }
      metadata = value as Record<string, string>;
      continue;
    }
    tensors.push(checkTensor(name, value, dataBytes));
  }
  if (tensors.length === 0) fail("the header lists no tensors");

  // Sorted by offset, each tensor must start where the previous ended: no overlap, no hidden bytes.
  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const tensor of tensors) {
    if (tensor.begin < cursor)
      fail(`tensor ${tensor.name} overlaps the previous tensor (offset ${tensor.begin} < ${cursor})`);
    if (tensor.begin > cursor)
      fail(`there are ${tensor.begin - cursor} unaccounted bytes before tensor ${tensor.name}`);
    cursor = tensor.end;
  }
  if (cursor !== dataBytes) {
    fail(`the tensors cover ${cursor} bytes but the file holds ${dataBytes} bytes of tensor data`);
  }
  const parameterCount = tensors.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
  return { tensors, metadata, headerBytes: header.length, dataBytes, parameterCount };
}

function checkTensor(name: string, value: unknown, dataBytes: number): TensorInfo {
  if (typeof value !== "object" || value === null) fail(`tensor ${name} must be an object`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== "string" || !(dtype in DTYPE_BYTES))
    fail(`tensor ${name} has unsupported dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`tensor ${name} has an invalid shape ${JSON.stringify(shape)}`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    fail(`tensor ${name} has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataBytes) fail(`tensor ${name} ends at byte ${end}, past the end of the data (${dataBytes} bytes)`);
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  const expected = elements * DTYPE_BYTES[dtype];
  if (end - begin !== expected) {
    fail(`tensor ${name} is ${end - begin} bytes but ${dtype} × [${(shape as number[]).join(", ")}] needs ${expected}`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}
