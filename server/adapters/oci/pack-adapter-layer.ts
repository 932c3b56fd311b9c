import "server-only";

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { PassThrough, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, createGzip } from "node:zlib";
import tar from "tar-stream";

export type LayerDigests = {
  /** sha256 of the gzip stream: the blob's digest in the manifest. */
  digest: string;
  size: number;
  /** sha256 of the uncompressed tar: the image config's rootfs.diff_ids entry. */
  diffId: string;
};

/** Fixed so that the same files always give the same layer digest. */
const EPOCH = new Date(0);

/**
 * Streams the adapter files as a gzip'd tar holding `data/<file>`, which is the layout Kaito's
 * puller init container copies from (`/data/adapter_config.json`, `/data/adapter_model.safetensors`).
 * Both digests are computed on the fly, so the layer never exists whole in memory or on disk.
 */
export function packAdapterLayer(
  dir: string,
  files: string[],
): { stream: PassThrough; digests: Promise<LayerDigests> } {
  const pack = tar.pack();
  const diffHash = createHash("sha256");
  const blobHash = createHash("sha256");
  let size = 0;
  const out = new PassThrough();

  const tee = (hash: ReturnType<typeof createHash>, count?: (n: number) => void) =>
    new Transform({
      transform(chunk: Buffer, _enc, callback) {
        hash.update(chunk);
        count?.(chunk.length);
        callback(null, chunk);
      },
    });

  const writeEntries = async () => {
    pack.entry({ name: "data/", type: "directory", mode: 0o755, mtime: EPOCH });
    for (const file of [...files].sort()) {
      const full = path.join(dir, file);
      const { size: fileSize } = await stat(full);
      const entry = pack.entry({ name: `data/${file}`, size: fileSize, mode: 0o644, mtime: EPOCH });
      await pipeline(createReadStream(full), entry);
    }
    pack.finalize();
  };

  const digests = Promise.all([
    writeEntries(),
    // Level 1: safetensors weights are near-incompressible, so higher levels only cost CPU.
    pipeline(
      pack,
      tee(diffHash),
      createGzip({ level: constants.Z_BEST_SPEED }),
      tee(blobHash, (n) => (size += n)),
      out,
    ),
  ]).then(() => ({
    digest: `sha256:${blobHash.digest("hex")}`,
    size,
    diffId: `sha256:${diffHash.digest("hex")}`,
  }));
  digests.catch((error) => out.destroy(error));
  return { stream: out, digests };
}
