import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import tar from "tar-stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_ARCHIVE_LIMITS,
  ExtractionBudget,
  archiveEntryFileName,
  extractAdapterArchive,
} from "./extract-adapter-archive";
import { adapterConfigJson, smallSafetensors } from "./testing/make-adapter-files";
import { buildZip } from "./testing/build-zip";

type Entry = { name: string; data?: Buffer; type?: "file" | "symlink" | "directory"; linkname?: string };

async function writeTarGz(file: string, entries: Entry[]) {
  const pack = tar.pack();
  const done = pipeline(pack, createGzip(), createWriteStream(file));
  for (const e of entries) {
    pack.entry({ name: e.name, type: e.type ?? "file", linkname: e.linkname }, e.data ?? Buffer.alloc(0));
  }
  pack.finalize();
  await done;
}

const limits = { ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: 64 * 1024 * 1024 };
const goodEntries = (): Entry[] => [
  { name: "my-lora/", type: "directory" },
  { name: "my-lora/adapter_config.json", data: Buffer.from(adapterConfigJson()) },
  { name: "my-lora/adapter_model.safetensors", data: smallSafetensors() },
];

describe("extractAdapterArchive", () => {
  let dir: string;
  let out: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kd-archive-"));
    out = path.join(dir, "out");
    await import("node:fs/promises").then((fs) => fs.mkdir(out));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("extracts a .tar.gz with the files under one folder", async () => {
    await writeTarGz(path.join(dir, "a.tar.gz"), goodEntries());
    const names = await extractAdapterArchive(path.join(dir, "a.tar.gz"), "tar.gz", out, limits);
    expect(names.sort()).toEqual(["adapter_config.json", "adapter_model.safetensors"]);
    expect((await readdir(out)).sort()).toEqual(names.sort());
  });

  it("extracts a .zip", async () => {
    await writeFile(
      path.join(dir, "a.zip"),
      buildZip([
        { name: "adapter_config.json", data: Buffer.from(adapterConfigJson()) },
        { name: "adapter_model.safetensors", data: smallSafetensors() },
      ]),
    );
    const names = await extractAdapterArchive(path.join(dir, "a.zip"), "zip", out, limits);
    expect(names.sort()).toEqual(["adapter_config.json", "adapter_model.safetensors"]);
  });

  it("refuses path traversal in a .tar.gz and writes nothing outside", async () => {
    await writeTarGz(path.join(dir, "evil.tar.gz"), [{ name: "../adapter_config.json", data: Buffer.from("{}") }]);
    await expect(extractAdapterArchive(path.join(dir, "evil.tar.gz"), "tar.gz", out, limits)).rejects.toThrow(
      /path traversal/,
    );
    expect(await readdir(dir)).not.toContain("adapter_config.json");
  });

  it("refuses path traversal in a .zip", async () => {
    await writeFile(
      path.join(dir, "evil.zip"),
      buildZip([{ name: "a/../../adapter_config.json", data: Buffer.from("{}") }]),
    );
    await expect(extractAdapterArchive(path.join(dir, "evil.zip"), "zip", out, limits)).rejects.toThrow(
      /path traversal/,
    );
  });

  it("refuses links", async () => {
    await writeTarGz(path.join(dir, "link.tar.gz"), [
      { name: "adapter_config.json", type: "symlink", linkname: "/etc/passwd" },
    ]);
    await expect(extractAdapterArchive(path.join(dir, "link.tar.gz"), "tar.gz", out, limits)).rejects.toThrow(
      /is a link/,
    );
    await writeFile(
      path.join(dir, "link.zip"),
      buildZip([{ name: "adapter_config.json", data: Buffer.from("/etc/passwd"), symlink: true }]),
    );
    await expect(extractAdapterArchive(path.join(dir, "link.zip"), "zip", out, limits)).rejects.toThrow(
      /symbolic link/,
    );
  });

  it("stops a decompression bomb by ratio and by total size", async () => {
    const zeros = Buffer.alloc(40 * 1024 * 1024);
    await writeTarGz(path.join(dir, "bomb.tar.gz"), [{ name: "adapter_model.safetensors", data: zeros }]);
    await expect(extractAdapterArchive(path.join(dir, "bomb.tar.gz"), "tar.gz", out, limits)).rejects.toThrow(
      /decompression bomb/,
    );
    await rm(path.join(out, "adapter_model.safetensors"), { force: true });
    await expect(
      extractAdapterArchive(path.join(dir, "bomb.tar.gz"), "tar.gz", out, { ...limits, maxTotalBytes: 1024 * 1024 }),
    ).rejects.toThrow(/more than 1048576 bytes/);
  });

  it("gives the whole request one budget: two archives cannot each extract the full limit", async () => {
    const weights = Buffer.from(randomBytes(600 * 1024));
    await writeTarGz(path.join(dir, "a.tar.gz"), [{ name: "adapter_model.safetensors", data: weights }]);
    await writeTarGz(path.join(dir, "b.tar.gz"), [{ name: "tokenizer.json", data: weights }]);
    const perRequest = { ...limits, maxTotalBytes: 1024 * 1024 };
    // Each archive on its own fits in the limit …
    await extractAdapterArchive(path.join(dir, "b.tar.gz"), "tar.gz", out, perRequest);
    await rm(path.join(out, "tokenizer.json"));
    // … but not both under one request's budget.
    const budget = new ExtractionBudget(perRequest);
    await extractAdapterArchive(path.join(dir, "a.tar.gz"), "tar.gz", out, budget);
    await expect(extractAdapterArchive(path.join(dir, "b.tar.gz"), "tar.gz", out, budget)).rejects.toThrow(
      /more than 1048576 bytes/,
    );
  });

  it("refuses files that are not part of an adapter", async () => {
    await writeTarGz(path.join(dir, "x.tar.gz"), [{ name: "run.sh", data: Buffer.from("rm -rf /") }]);
    await expect(extractAdapterArchive(path.join(dir, "x.tar.gz"), "tar.gz", out, limits)).rejects.toThrow(
      /run.sh is not part/,
    );
  });

  it("reports a corrupt archive clearly", async () => {
    await writeFile(path.join(dir, "junk.tar.gz"), "not gzip at all");
    await expect(extractAdapterArchive(path.join(dir, "junk.tar.gz"), "tar.gz", out, limits)).rejects.toThrow(
      /not a readable .tar.gz/,
    );
  });
});

describe("archiveEntryFileName", () => {
  it.each([
    ["a/b/adapter_config.json", "adapter_config.json"],
    ["./README.md", "README.md"],
    ["__MACOSX/._README.md", null],
  ])("%s → %s", (entry, expected) => expect(archiveEntryFileName(entry)).toBe(expected));

  it.each(["/etc/passwd", "C:/x", "..\\x", "a/../../b"])("refuses %s", (entry) => {
    expect(() => archiveEntryFileName(entry)).toThrow();
  });
});
