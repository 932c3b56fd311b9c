import "server-only";

import { Readable } from "node:stream";

import busboy from "busboy";

import { AdapterError } from "./adapter-error";

export type PartInfo = { name: string; filename: string | null; contentType: string | null };

/** Where one part's bytes go; `write` may return a promise to apply backpressure. */
export type PartSink = { write(chunk: Buffer): void | Promise<void>; end(): void | Promise<void> };

// Fields are names and model ids: busboy holds a field in memory, so it gets a small cap.
const MAX_FIELD_BYTES = 64 * 1024;
const MAX_PARTS = 256;

export function boundaryFromContentType(contentType: string | null): string {
  const match = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? "");
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary || boundary.length > 70) {
    throw new AdapterError("invalid_input", "Expected a multipart/form-data request body with a boundary");
  }
  return boundary;
}

/**
 * Streams a multipart/form-data body part by part with busboy, in order, without holding more
 * than busboy's buffers in memory: the Web `request.formData()` buffers the whole body, which for
 * a 2 GiB adapter is not an option. A sink's pending write pauses the file stream, and busboy then
 * stops taking body bytes, so a slow disk slows the socket. Body bytes beyond `maxBytes` abort the
 * parse, and so does the first error a sink throws: the rest of the body is not read.
 */
export async function parseMultipart(
  body: AsyncIterable<Uint8Array>,
  boundary: string,
  onPart: (part: PartInfo) => PartSink | Promise<PartSink>,
  maxBytes: number,
): Promise<void> {
  const parser = busboy({
    headers: { "content-type": `multipart/form-data; boundary="${boundary}"` },
    // Browsers send UTF-8 file names; busboy's default for them is latin1.
    defParamCharset: "utf8",
    limits: { fieldSize: MAX_FIELD_BYTES, parts: MAX_PARTS },
  });

  let failed: unknown = null;
  let rejectFailure!: (error: unknown) => void;
  const failure = new Promise<never>((_, reject) => (rejectFailure = reject));
  failure.catch(() => undefined);
  const fail = (error: unknown) => {
    if (failed) return;
    failed = error;
    rejectFailure(error);
  };

  // Parts are handed to onPart strictly one after another, as they appear in the body.
  let chain: Promise<void> = Promise.resolve();
  parser.on("field", (name, value, info) => {
    chain = chain.then(async () => {
      if (failed) return;
      if (info.valueTruncated) throw new AdapterError("invalid_input", `The ${name} field is too long`, name);
      const sink = await onPart({ name, filename: null, contentType: null });
      await sink.write(Buffer.from(value, "utf8"));
      await sink.end();
    });
    chain.catch(fail);
  });
  parser.on("file", (name, stream, info) => {
    chain = chain.then(async () => {
      if (failed) return void stream.resume();
      const sink = await onPart({ name, filename: info.filename ?? "", contentType: info.mimeType ?? null });
      for await (const chunk of stream) await sink.write(chunk as Buffer);
      await sink.end();
    });
    chain.catch((error) => {
      stream.resume();
      fail(error);
    });
  });
  parser.on("partsLimit", () => fail(new AdapterError("invalid_input", `More than ${MAX_PARTS} form parts`)));
  parser.on("error", (error: Error) => fail(multipartError(error)));
  const closed = new Promise<void>((resolve) => parser.on("close", resolve));

  // Stopping early must not destroy a request stream: its socket still has to carry our answer.
  const chunks = body instanceof Readable ? body.iterator({ destroyOnReturn: false }) : body;
  let received = 0;
  for await (const chunk of chunks) {
    received += chunk.length;
    if (received > maxBytes) {
      fail(new AdapterError("too_large", `The upload exceeds the limit of ${formatBytes(maxBytes)}`, "files"));
    }
    if (failed) break;
    await Promise.race([
      new Promise<void>((resolve, reject) => parser.write(chunk, (error) => (error ? reject(error) : resolve()))),
      failure,
    ]).catch(fail);
    if (failed) break;
  }
  if (!failed) {
    parser.end();
    await Promise.race([closed, failure]).catch(fail);
  }
  if (!failed) await chain.catch(fail);
  if (failed) {
    parser.destroy();
    throw failed;
  }
}

/** busboy's parse errors in the words of this API. */
function multipartError(error: Error): AdapterError {
  if (/unexpected end/i.test(error.message))
    return new AdapterError("invalid_input", "The upload ended before the multipart body was complete");
  return new AdapterError("invalid_input", `The multipart body is malformed: ${error.message}`);
}

export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
