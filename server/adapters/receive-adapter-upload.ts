import "server-only";

import { randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { AdapterError } from "./adapter-error";
import { assertAllowedAdapterFile, isArchiveName } from "./adapter-files";
import { DEFAULT_ARCHIVE_LIMITS, ExtractionBudget, extractAdapterArchive } from "./extract-adapter-archive";
import { boundaryFromContentType, parseMultipart, type PartSink } from "./parse-multipart";

export type ReceivedUpload = {
  /** Folder holding the adapter files, flat, by their canonical names. */
  dir: string;
  fields: Record<string, string>;
  files: string[];
  /** Removes everything this upload wrote; safe to call twice. */
  discard(): Promise<void>;
};

const MAX_FIELD_BYTES = 4096;
const FIELDS = new Set(["name", "baseModel"]);

/**
 * Streams a multipart upload to a fresh folder under `uploadDir`: plain fields are kept (small,
 * capped) and checked by `checkField` as they arrive, each file part goes straight to disk with
 * backpressure, and archives are unpacked after they have landed, all under one extraction
 * budget. The `name` field must come before the files, so that a bad or taken name is refused
 * before a byte of the files is stored. On any failure the folder is removed before the error
 * propagates.
 */
export async function receiveAdapterUpload(
  body: AsyncIterable<Uint8Array>,
  contentType: string | null,
  options: {
    uploadDir: string;
    maxBytes: number;
    checkField?: (name: string, value: string) => void | Promise<void>;
  },
): Promise<ReceivedUpload> {
  const boundary = boundaryFromContentType(contentType);
  const root = path.join(options.uploadDir, randomUUID());
  const dir = path.join(root, "files");
  await mkdir(dir, { recursive: true });
  const discard = () => rm(root, { recursive: true, force: true });

  const fields: Record<string, string> = {};
  const files = new Set<string>();
  const archives: { file: string; kind: "tar.gz" | "zip" }[] = [];
  const open: WriteStream[] = [];
  let plainBytes = 0;

  try {
    await parseMultipart(
      body,
      boundary,
      (part): PartSink => {
        if (part.filename === null) {
          if (!FIELDS.has(part.name)) throw new AdapterError("invalid_input", `Unexpected form field ${part.name}`);
          return fieldSink(part.name, async (value) => {
            await options.checkField?.(part.name, value);
            fields[part.name] = value;
          });
        }
        if (fields.name === undefined) {
          throw new AdapterError(
            "invalid_input",
            "Send the name field before the files, so that a bad name is refused before the files are stored",
            "name",
          );
        }
        // Browsers send only the base name; other clients might send a path — never trust it.
        const fileName = path.basename(part.filename.replace(/\\/g, "/"));
        if (fileName === "") return discardSink();
        const kind = isArchiveName(fileName);
        let target: string;
        if (kind) {
          target = path.join(root, `archive-${archives.length}.${kind}`);
          archives.push({ file: target, kind });
        } else {
          assertAllowedAdapterFile(fileName);
          if (files.has(fileName)) throw new AdapterError("invalid_input", `${fileName} was uploaded twice`, "files");
          files.add(fileName);
          target = path.join(dir, fileName);
        }
        // A deeper write queue than the default 16 KiB keeps the disk busy while the socket
        // delivers the next chunks; it bounds memory at one MiB per open file.
        const stream = createWriteStream(target, { flags: "wx", highWaterMark: 1024 * 1024 });
        open.push(stream);
        return fileSink(stream, kind ? undefined : (bytes) => (plainBytes += bytes));
      },
      options.maxBytes,
    );
    const budget = new ExtractionBudget({ ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: options.maxBytes });
    // Files sent beside the archives are part of what the upload puts on disk.
    budget.reserve(plainBytes);
    for (const archive of archives) {
      const extracted = await extractAdapterArchive(archive.file, archive.kind, dir, budget);
      for (const name of extracted) {
        if (files.has(name)) throw new AdapterError("invalid_input", `${name} was uploaded twice`, "files");
        files.add(name);
      }
      await rm(archive.file);
    }
    return { dir, fields, files: [...files], discard };
  } catch (error) {
    for (const stream of open) stream.destroy();
    await discard();
    throw error;
  }
}

function fieldSink(name: string, save: (value: string) => void | Promise<void>): PartSink {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    write(chunk) {
      size += chunk.length;
      if (size > MAX_FIELD_BYTES) throw new AdapterError("invalid_input", `The ${name} field is too long`, name);
      chunks.push(Buffer.from(chunk));
    },
    end() {
      return save(Buffer.concat(chunks).toString("utf8").trim());
    },
  };
}

function discardSink(): PartSink {
  return { write() {}, end() {} };
}

function fileSink(stream: WriteStream, count?: (bytes: number) => void): PartSink {
  return {
    write(chunk) {
      count?.(chunk.length);
      if (stream.write(chunk)) return;
      return new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        stream.once("error", onError);
        stream.once("drain", () => {
          stream.off("error", onError);
          resolve();
        });
      });
    },
    end() {
      return new Promise<void>((resolve, reject) => {
        stream.once("error", reject);
        stream.end(() => resolve());
      });
    },
  };
}
