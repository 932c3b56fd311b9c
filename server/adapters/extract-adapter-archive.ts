import "server-only";

import { createReadStream, createWriteStream } from "node:fs";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import yauzl from "yauzl";
import { AdapterError } from "./adapter-error";
import { assertAllowedAdapterFile } from "./adapter-files";

export type ArchiveLimits = {
  /** Cap on the sum of all extracted bytes. */
  maxTotalBytes: number;
  /** Cap on extracted ÷ compressed bytes, applied once the output passes `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
  maxEntries: number;
};

export const DEFAULT_ARCHIVE_LIMITS: Omit<ArchiveLimits, "maxTotalBytes"> = {
  // Real safetensors weights barely compress; a higher ratio means padding or a bomb.
  maxRatio: 100,
  ratioFloorBytes: 16 * 1024 * 1024,
  maxEntries: 64,
};

const FIELD = "files";

function fail(message: string): never {
  throw new AdapterError("invalid_archive", `Archive: ${message}`, FIELD);
}

/**
 * Resolves an archive entry name to the adapter file name it may become. Entries may sit under
 * one folder (`my-adapter/adapter_config.json`) — the common way such archives are made — but
 * never outside the archive root.
 */
export function archiveEntryFileName(entryName: string): string | null {
  if (entryName.includes("\0")) fail(`entry name ${JSON.stringify(entryName)} contains a NUL byte`);
  const normalized = entryName.replace(/\\/g, "/");
  if (normalized.startsWith("/") || /^[a-zA-Z]:/.test(normalized)) fail(`entry ${entryName} has an absolute path`);
  const parts = normalized.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) fail(`entry ${entryName} escapes the archive (path traversal)`);
  // Finder's resource-fork folder is noise, not content.
  if (parts[0] === "__MACOSX" || parts.length === 0) return null;
  return parts[parts.length - 1];
}

/**
 * What one upload may extract, over all of its archives together: bytes (with the plain files
 * sent beside the archives counted in), entries and the expansion ratio. One budget per request,
 * so that two archives cannot each extract the full limit.
 */
export class ExtractionBudget {
  private extracted = 0;
  private reserved = 0;
  private entries = 0;
  /** Compressed bytes read so far, over all archives. */
  compressed = 0;
  readonly seen = new Set<string>();
  constructor(readonly limits: ArchiveLimits) {}

  /** Counts bytes that reached the upload folder without extraction (plain files). */
  reserve(bytes: number): void {
    this.reserved += bytes;
  }

  entry(fileName: string): void {
    if (++this.entries > this.limits.maxEntries) fail(`more than ${this.limits.maxEntries} entries`);
    assertAllowedAdapterFile(fileName, FIELD);
    if (this.seen.has(fileName)) fail(`${fileName} appears twice`);
    this.seen.add(fileName);
  }

  counter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.extracted += chunk.length;
        if (this.extracted + this.reserved > this.limits.maxTotalBytes) {
          return callback(
            new AdapterError("too_large", `Archive: extracts to more than ${this.limits.maxTotalBytes} bytes`, FIELD),
          );
        }
        const compressed = Math.max(1, this.compressed);
        if (this.extracted > this.limits.ratioFloorBytes && this.extracted / compressed > this.limits.maxRatio) {
          return callback(
            new AdapterError(
              "invalid_archive",
              `Archive: expands more than ${this.limits.maxRatio}× (a decompression bomb?)`,
              FIELD,
            ),
          );
        }
        callback(null, chunk);
      },
    });
  }
}

/**
 * Extracts the adapter files of a .tar.gz or .zip into `destDir` (flat); returns their names.
 * Pass the request's ExtractionBudget when an upload holds several archives.
 */
export async function extractAdapterArchive(
  archivePath: string,
  kind: "tar.gz" | "zip",
  destDir: string,
  limits: ArchiveLimits | ExtractionBudget,
): Promise<string[]> {
  const budget = limits instanceof ExtractionBudget ? limits : new ExtractionBudget(limits);
  const before = new Set(budget.seen);
  if (kind === "zip") await extractZip(archivePath, destDir, budget);
  else await extractTarGz(archivePath, destDir, budget);
  return [...budget.seen].filter((name) => !before.has(name));
}

async function extractTarGz(archivePath: string, destDir: string, budget: ExtractionBudget): Promise<void> {
  const extract = tar.extract();
  const source = createReadStream(archivePath).on("data", (chunk) => (budget.compressed += chunk.length));

  const done = new Promise<void>((resolve, reject) => {
    extract.on("entry", (header, stream, next) => {
      const handle = async () => {
        if (header.type === "directory") {
          stream.resume();
          return;
        }
        if (header.type === "symlink" || header.type === "link") fail(`entry ${header.name} is a link`);
        if (header.type !== "file" && header.type !== "contiguous-file")
          fail(`entry ${header.name} is a ${header.type}`);
        const fileName = archiveEntryFileName(header.name);
        if (fileName === null) {
          stream.resume();
          return;
        }
        budget.entry(fileName);
        await pipeline(stream, budget.counter(), createWriteStream(path.join(destDir, fileName), { flags: "wx" }));
      };
      handle().then(
        () => next(),
        (error) => {
          stream.resume();
          extract.destroy(error);
        },
      );
    });
    extract.on("finish", resolve);
    extract.on("error", reject);
  });
  try {
    await Promise.all([pipeline(source, createGunzip(), extract), done]);
  } catch (error) {
    if (error instanceof AdapterError) throw error;
    fail(`not a readable .tar.gz (${(error as Error).message})`);
  }
}

function openZip(archivePath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    // Raw names: yauzl's own name check would reject traversal with a message we cannot attribute.
    yauzl.open(archivePath, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (error, zip) =>
      error ? reject(error) : resolve(zip!),
    ),
  );
}

async function extractZip(archivePath: string, destDir: string, budget: ExtractionBudget): Promise<void> {
  const { limits } = budget;
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(archivePath);
  } catch (error) {
    fail(`not a readable .zip (${(error as Error).message})`);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("entry", (entry: yauzl.Entry) => {
        const handle = async () => {
          const name = (entry.fileName as unknown as Buffer).toString("utf8");
          const unixMode = (entry.externalFileAttributes >>> 16) & 0o170000;
          if (unixMode === 0o120000) fail(`entry ${name} is a symbolic link`);
          const fileName = archiveEntryFileName(name);
          if (name.endsWith("/") || fileName === null) return;
          budget.entry(fileName);
          // Declared sizes can be checked before inflating anything; yauzl verifies they are honest.
          if (entry.uncompressedSize > limits.maxTotalBytes) {
            throw new AdapterError(
              "too_large",
              `Archive: ${fileName} extracts to more than ${limits.maxTotalBytes} bytes`,
              FIELD,
            );
          }
          const stream = await new Promise<Readable>((res, rej) =>
            zip.openReadStream(entry, (error, s) => (error ? rej(error) : res(s!))),
          );
          budget.compressed += entry.compressedSize;
          await pipeline(stream, budget.counter(), createWriteStream(path.join(destDir, fileName), { flags: "wx" }));
        };
        handle().then(() => zip.readEntry(), reject);
      });
      zip.on("end", resolve);
      zip.on("error", reject);
      zip.readEntry();
    });
  } catch (error) {
    if (error instanceof AdapterError) throw error;
    fail(`not a readable .zip (${(error as Error).message})`);
  } finally {
    zip.close();
  }
}
