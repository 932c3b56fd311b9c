import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { sweepUploadStaging } from "./sweep-upload-staging";

describe("sweepUploadStaging", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kd-sweep-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("removes the staging folders a crashed process left, and nothing outside the upload folder", async () => {
    const uploads = path.join(dir, "uploads");
    await mkdir(path.join(uploads, "0b5f2c1e", "files"), { recursive: true });
    await writeFile(path.join(uploads, "0b5f2c1e", "files", "adapter_model.safetensors"), "half an upload");
    await writeFile(path.join(dir, "keep.txt"), "not ours");
    expect(await sweepUploadStaging(uploads)).toBe(1);
    expect(await readdir(uploads)).toEqual([]);
    expect(await readdir(dir)).toEqual(["keep.txt", "uploads"].sort());
  });

  it("starts fine when the upload folder does not exist yet", async () => {
    expect(await sweepUploadStaging(path.join(dir, "missing"))).toBe(0);
  });
});
