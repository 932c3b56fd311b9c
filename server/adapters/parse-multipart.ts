import "server-only";

import { AdapterError } from "./adapter-error";

export type PartInfo = { name: string; filename: string | null; contentType: string | null };

/** Where one part's bytes go; `write` may return a promise to apply backpressure. */
export type PartSink = { write(chunk: Buffer): void | Promise<void>; end(): void | Promise<void> };

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");
const MAX_HEADER_BYTES = 16 * 1024;

export function boundaryFromContentType(contentType: string | null): string {
  const match = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? "");
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary || boundary.length > 70) {
    throw new AdapterError("invalid_input", "Expected a multipart/form-data request body with a boundary");
  }
  return boundary;
}

/**
 * Streams a multipart/form-data body part by part (RFC 7578) without holding more than one
 * chunk plus a boundary's length in memory: the Web `request.formData()` buffers the whole body,
 * which for a 2 GiB adapter is not an option. Body bytes beyond `maxBytes` abort the parse.
 */
export async function parseMultipart(
  body: AsyncIterable<Uint8Array>,
  boundary: string,
  onPart: (part: PartInfo) => PartSink | Promise<PartSink>,
  maxBytes: number,
): Promise<void> {
  // Treat the body as if it began with CRLF so that every delimiter, the first included, is CRLF--boundary.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let pending: Buffer = Buffer.from(CRLF);
  let state: "preamble" | "after-delimiter" | "headers" | "body" | "done" = "preamble";
  let sink: PartSink | null = null;
  let received = 0;

  for await (const chunk of body) {
    received += chunk.length;
    if (received > maxBytes) {
      throw new AdapterError("too_large", `The upload exceeds the limit of ${formatBytes(maxBytes)}`, "files");
    }
    const incoming = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (state === "body" && pending.length > 0 && incoming.length >= delimiter.length) {
      // Fast path for file data: the kept tail only needs joining when a delimiter straddles
      // the two chunks. Copying every chunk onto the tail would allocate as many bytes as the
      // upload, and that garbage is what drives the process's resident size up.
      const joint = Buffer.concat([pending, incoming.subarray(0, delimiter.length - 1)]);
      if (joint.indexOf(delimiter) === -1) {
        await sink!.write(pending);
        pending = incoming;
      } else {
        pending = Buffer.concat([pending, incoming]);
      }
    } else {
      pending = pending.length === 0 ? incoming : Buffer.concat([pending, incoming]);
    }

    let progressed = true;
    while (progressed && state !== "done") {
      progressed = false;
      if (state === "preamble") {
        const at = pending.indexOf(delimiter);
        if (at === -1) {
          pending = pending.subarray(Math.max(0, pending.length - delimiter.length + 1));
        } else {
          pending = pending.subarray(at + delimiter.length);
          state = "after-delimiter";
          progressed = true;
        }
      } else if (state === "after-delimiter") {
        if (pending.length < 2) break;
        if (pending[0] === 0x2d && pending[1] === 0x2d) {
          state = "done";
          break;
        }
        const eol = pending.indexOf(CRLF);
        if (eol === -1) break;
        pending = pending.subarray(eol + 2);
        state = "headers";
        progressed = true;
      } else if (state === "headers") {
        const end = pending.indexOf(HEADER_END);
        if (end === -1) {
          // A part with no headers at all starts directly with the blank line.
          if (pending.subarray(0, 2).equals(CRLF)) {
            pending = pending.subarray(2);
            sink = await onPart(parseHeaders(""));
            state = "body";
            progressed = true;
          } else if (pending.length > MAX_HEADER_BYTES) {
            throw new AdapterError("invalid_input", "A multipart part header is too large");
          }
          continue;
        }
        sink = await onPart(parseHeaders(pending.subarray(0, end).toString("utf8")));
        pending = pending.subarray(end + HEADER_END.length);
        state = "body";
        progressed = true;
      } else if (state === "body") {
        const at = pending.indexOf(delimiter);
        if (at === -1) {
          // Keep just enough to recognise a delimiter split across two chunks.
          const safe = pending.length - delimiter.length + 1;
          if (safe > 0) {
            await sink!.write(pending.subarray(0, safe));
            pending = Buffer.from(pending.subarray(safe));
          }
        } else {
          if (at > 0) await sink!.write(pending.subarray(0, at));
          await sink!.end();
          sink = null;
          pending = pending.subarray(at + delimiter.length);
          state = "after-delimiter";
          progressed = true;
        }
      }
    }
  }
  if (state !== "done")
    throw new AdapterError("invalid_input", "The upload ended before the multipart body was complete");
}

function parseHeaders(text: string): PartInfo {
  const headers = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get("content-disposition") ?? "";
  const name = dispositionParam(disposition, "name");
  if (!/^form-data\b/i.test(disposition) || name === null) {
    throw new AdapterError("invalid_input", "A multipart part lacks Content-Disposition: form-data; name=…");
  }
  return {
    name,
    filename: dispositionParam(disposition, "filename"),
    contentType: headers.get("content-type") ?? null,
  };
}

function dispositionParam(disposition: string, key: string): string | null {
  const match =
    new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, "i").exec(disposition) ??
    new RegExp(`;\\s*${key}=([^;\\s]+)`, "i").exec(disposition);
  // Browsers percent-encode '"' and newlines in names (WHATWG), and escape nothing else.
  return match ? match[1].replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n") : null;
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
