import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { layerSize, streamTarLayer, type LayerEntry } from "./stream-tar-layer";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "kd-tar-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function entries(big: Buffer): Promise<LayerEntry[]> {
  await writeFile(path.join(dir, "big"), big);
  await writeFile(path.join(dir, "small"), "{}");
  return [
    { type: "directory", name: "data", mode: 0o755 },
    {
      type: "file",
      name: "data/adapter_model.safetensors",
      mode: 0o644,
      size: big.length,
      source: path.join(dir, "big"),
    },
    { type: "file", name: "data/adapter_config.json", mode: 0o644, size: 2, source: path.join(dir, "small") },
    { type: "symlink", name: "data/link", mode: 0o777, target: "adapter_config.json" },
  ];
}

/** Collects what was written, copying each chunk since the producer reuses its buffers. */
async function collect(list: LayerEntry[]) {
  const chunks: Buffer[] = [];
  const digest = await streamTarLayer(list, async (chunk) => void chunks.push(Buffer.from(chunk)));
  return { archive: Buffer.concat(chunks), digest };
}

describe("streamTarLayer", () => {
  it("writes a tar that tar readers accept, of the announced size, with its sha256", async () => {
    // Larger than the ring of buffers, so reused buffers would show up as corrupted data.
    const big = Buffer.alloc(5 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    const list = await entries(big);
    const { archive, digest } = await collect(list);
    expect(archive.length).toBe(layerSize(list));
    expect(digest).toBe(`sha256:${createHash("sha256").update(archive).digest("hex")}`);

    const seen: { name: string; type?: string; mode?: number; linkname?: string | null; data: Buffer }[] = [];
    const extract = tar.extract();
    extract.on("entry", (header, stream, next) => {
      const parts: Buffer[] = [];
      stream.on("data", (c) => void parts.push(c as Buffer));
      stream.on("end", () => {
        seen.push({
          name: header.name,
          type: header.type,
          mode: header.mode,
          linkname: header.linkname,
          data: Buffer.concat(parts),
        });
        next();
      });
    });
    const done = new Promise<void>((resolve) => extract.on("finish", () => resolve()));
    extract.end(archive);
    await done;
    expect(seen.map((e) => [e.name, e.type, e.mode])).toEqual([
      ["data/", "directory", 0o755],
      ["data/adapter_model.safetensors", "file", 0o644],
      ["data/adapter_config.json", "file", 0o644],
      ["data/link", "symlink", 0o777],
    ]);
    expect(seen[1].data.equals(big)).toBe(true);
    expect(seen[2].data.toString()).toBe("{}");
    expect(seen[3].linkname).toBe("adapter_config.json");
  });

  it("gives the same digest for the same files", async () => {
    const list = await entries(Buffer.from("weights"));
    expect((await collect(list)).digest).toBe((await collect(list)).digest);
  });

  it("fails when a file is not the size that was announced", async () => {
    const list = await entries(Buffer.from("weights"));
    (list[1] as { size: number }).size = 100;
    await expect(collect(list)).rejects.toThrow(/shrank/);
  });
});
