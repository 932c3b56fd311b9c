import "server-only";

import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { encodeTarHeader, TAR_END, tarPadding, tarSize, type TarEntry } from "./encode-tar-header";

/** A tar entry plus, for files, where its bytes are read from. */
export type LayerEntry = TarEntry & { source?: string };

/** Resolves once the chunk has left the process, so its buffer may be reused. */
export type WriteChunk = (chunk: Buffer) => Promise<void>;

/**
 * File data moves through this many fixed buffers: one is read from disk while the others are
 * on their way to the socket. Reusing them instead of allocating per chunk is what keeps a
 * multi-GiB push from growing the process by tens of MiB of buffers awaiting garbage collection.
 */
const RING = 4;
const CHUNK = 1024 * 1024;

export function layerSize(entries: LayerEntry[]): number {
  return tarSize(entries);
}

/**
 * Writes the entries as an uncompressed tar through `write` and returns its sha256 digest. A
 * file whose size changed since it was planned fails the layer, since the size was promised to
 * the registry up front (Content-Length) and recorded in the tar header.
 */
export async function streamTarLayer(entries: LayerEntry[], write: WriteChunk): Promise<string> {
  const hash = createHash("sha256");
  const ring = Array.from({ length: RING }, () => Buffer.allocUnsafe(CHUNK));
  const inFlight: (Promise<void> | null)[] = Array.from({ length: RING }, () => null);
  let slot = 0;
  const send = (chunk: Buffer) => {
    hash.update(chunk);
    return write(chunk);
  };

  try {
    for (const entry of entries) {
      await send(encodeTarHeader(entry));
      if (entry.type !== "file") continue;
      const file = await open(entry.source!, "r");
      try {
        let position = 0;
        while (position < entry.size) {
          await inFlight[slot];
          const buffer = ring[slot];
          const { bytesRead } = await file.read(buffer, 0, Math.min(CHUNK, entry.size - position), position);
          if (bytesRead === 0) throw new Error(`${entry.name} shrank while it was being published`);
          position += bytesRead;
          inFlight[slot] = send(buffer.subarray(0, bytesRead));
          // Settled failures surface at the next await of this slot or at the end.
          inFlight[slot]!.catch(() => undefined);
          slot = (slot + 1) % RING;
        }
        if ((await file.stat()).size !== entry.size)
          throw new Error(`${entry.name} changed while it was being published`);
      } finally {
        await file.close();
      }
      const padding = tarPadding(entry.size);
      if (padding > 0) await send(Buffer.alloc(padding));
    }
    await send(TAR_END);
  } finally {
    await Promise.allSettled(inFlight);
  }
  await Promise.all(inFlight);
  return `sha256:${hash.digest("hex")}`;
}
