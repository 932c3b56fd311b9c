import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { safetensorsHeader, smallSafetensors } from "./testing/make-adapter-files";
import { readSafetensorsHeader, validateSafetensorsHeader } from "./validate-safetensors";

const withLength = (json: object) => {
  const header = Buffer.from(JSON.stringify(json));
  return header;
};

describe("validateSafetensorsHeader", () => {
  const tensor = (begin: number, end: number, shape = [2, 2], dtype = "F16") => ({
    dtype,
    shape,
    data_offsets: [begin, end],
  });

  it("accepts contiguous tensors whose sizes match dtype × shape", () => {
    const header = withLength({ a: tensor(0, 8), b: tensor(8, 24, [2, 2], "F32") });
    const summary = validateSafetensorsHeader(header, 8 + header.length + 24);
    expect(summary.tensors.map((t) => t.name)).toEqual(["a", "b"]);
    expect(summary.parameterCount).toBe(8);
  });

  it.each([
    [{ a: tensor(0, 8), b: tensor(4, 12) }, 12, /overlaps/],
    [{ a: tensor(0, 8) }, 16, /cover 8 bytes but the file holds 16/],
    [{ a: tensor(0, 8), b: tensor(16, 24) }, 24, /unaccounted bytes/],
    [{ a: tensor(0, 16) }, 16, /needs 8/],
    [{ a: tensor(0, 800) }, 8, /past the end of the data/],
    [{ a: tensor(0, 8, [2, 2], "Q4") }, 8, /unsupported dtype "Q4"/],
    [{ a: { dtype: "F16", shape: [-1], data_offsets: [0, 2] } }, 2, /invalid shape/],
    [{ a: { dtype: "F16", shape: [1], data_offsets: [2, 0] } }, 2, /invalid data_offsets/],
    [{ __metadata__: { format: "pt" } }, 0, /no tensors/],
    [{ __metadata__: { n: 1 }, a: tensor(0, 8) }, 8, /__metadata__/],
  ])("rejects %j", (json, dataBytes, message) => {
    const header = withLength(json);
    expect(() => validateSafetensorsHeader(header, 8 + header.length + dataBytes)).toThrow(message);
  });

  it("rejects a header that is not JSON", () => {
    expect(() => validateSafetensorsHeader(Buffer.from("{oops"), 100)).toThrow(/not valid UTF-8 JSON/);
  });
});

describe("readSafetensorsHeader", () => {
  const dir = mkdtemp(path.join(os.tmpdir(), "kd-st-"));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  const write = async (name: string, content: Buffer) => {
    const file = path.join(await dir, name);
    await writeFile(file, content);
    return file;
  };

  it("reads a real-format adapter file", async () => {
    const summary = await readSafetensorsHeader(await write("ok.safetensors", smallSafetensors()));
    expect(summary.tensors).toHaveLength(4);
    expect(summary.metadata).toEqual({ format: "pt" });
  });

  it("rejects a file truncated inside the tensor data", async () => {
    const full = smallSafetensors();
    await expect(
      readSafetensorsHeader(await write("cut.safetensors", full.subarray(0, full.length - 10))),
    ).rejects.toThrow(/past the end of the data/);
  });

  it("rejects a header length that lies about the file", async () => {
    const { header } = safetensorsHeader([{ name: "a", dtype: "F16", shape: [4] }]);
    header.writeBigUInt64LE(1_000_000n);
    await expect(readSafetensorsHeader(await write("lie.safetensors", header))).rejects.toThrow(/runs past the end/);
  });

  it("rejects files shorter than the length prefix", async () => {
    await expect(readSafetensorsHeader(await write("tiny.safetensors", Buffer.from([1, 2])))).rejects.toThrow(
      /too short/,
    );
  });
});
