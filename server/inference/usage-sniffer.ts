import "server-only";

const TAIL_BYTES = 8 * 1024;
const MAX_CAPTURE_BYTES = 256 * 1024;
const CONTENT_DELTA = Buffer.from('"delta":{"content":');
const TEXT_PIECE = Buffer.from('"text":');
const USAGE_KEY = Buffer.from('"usage":');
const QUOTE = 0x22;
// Enough for vLLM's usage object ({"prompt_tokens":…,"total_tokens":…,"completion_tokens":…}) and more.
const MAX_USAGE_TEXT = 2048;
const USAGE_OBJECT = /^"usage":\s*\{[^{}]*\}/;
const USAGE_OPEN = /^"usage":\s*(\{[^{}]*)?$/;

export type SniffedUsage = {
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  estimated: boolean;
  responseText: string | null;
};

/**
 * Watches the bytes flowing back without holding them up: notes when the first one arrived,
 * counts streamed pieces (one per token for vLLM) as a fallback, and finds the usage object, which
 * vLLM puts at the end of a JSON reply and in the last SSE chunk. A stream keeps no chunk past its
 * own turn: only the text from the latest `"usage":{` on is copied out. Holding a tail of chunks per
 * stream made them outlive young-generation GC, and the old-generation collections that followed
 * stalled every stream of the process.
 */
export class UsageSniffer {
  private firstByteAt: number | null = null;
  private pieces = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  /** Streams: the text from the latest whole `"usage":{…}` on. */
  private usageText: string | null = null;
  /** Streams: the text from a `"usage":` key whose value has not fully arrived yet. */
  private usagePending: string | null = null;
  /** Streams: the end of the previous chunk when it may hold the start of a key cut by the read. */
  private carry: Buffer | null = null;
  private captured: Buffer[] | null;
  private capturedBytes = 0;

  constructor(
    private readonly startedAt: number,
    private readonly stream: boolean,
    captureContent: boolean,
  ) {
    this.captured = captureContent ? [] : null;
  }

  onChunk(chunk: Buffer, now: number): void {
    this.firstByteAt ??= now;
    if (this.stream) {
      // A chat chunk never carries a completion's "text", so the second scan only runs for /v1/completions.
      const deltas = countOccurrences(chunk, CONTENT_DELTA);
      this.pieces += deltas > 0 ? deltas : countOccurrences(chunk, TEXT_PIECE);
      this.sniffStreamUsage(chunk);
    } else {
      this.tail.push(chunk);
      this.tailBytes += chunk.length;
      while (this.tail.length > 1 && this.tailBytes - this.tail[0].length >= TAIL_BYTES)
        this.tailBytes -= this.tail.shift()!.length;
    }
    if (this.captured && this.capturedBytes < MAX_CAPTURE_BYTES) {
      this.captured.push(chunk);
      this.capturedBytes += chunk.length;
    }
  }

  private sniffStreamUsage(chunk: Buffer): void {
    if (this.usagePending !== null) {
      this.usagePending += chunk.toString("utf8");
      this.settleUsage();
    }
    const at = chunk.lastIndexOf(USAGE_KEY);
    if (at !== -1) this.usagePending = chunk.toString("utf8", at);
    else if (this.carry) {
      const joined = Buffer.concat([this.carry, chunk.subarray(0, USAGE_KEY.length)]);
      const cut = joined.indexOf(USAGE_KEY);
      if (cut !== -1) this.usagePending = joined.toString("utf8", cut, this.carry.length) + chunk.toString("utf8");
    }
    this.settleUsage();
    // A key cut by the read starts with its quote within the last few bytes: copy just those.
    const quoteAt = chunk.indexOf(QUOTE, Math.max(0, chunk.length - USAGE_KEY.length + 1));
    this.carry = quoteAt === -1 ? null : Buffer.from(chunk.subarray(quoteAt));
  }

  /** Keeps a usage object once it is whole; drops one that is null, nested or runs on too long. */
  private settleUsage(): void {
    const pending = this.usagePending;
    if (pending === null) return;
    if (USAGE_OBJECT.test(pending)) {
      this.usageText = pending;
      this.usagePending = null;
    } else if (!USAGE_OPEN.test(pending) || pending.length > MAX_USAGE_TEXT) this.usagePending = null;
  }

  finish(): SniffedUsage {
    const usage = findLastUsage(this.stream ? (this.usageText ?? "") : Buffer.concat(this.tail).toString("utf8"));
    return {
      ttftMs: this.firstByteAt === null ? null : this.firstByteAt - this.startedAt,
      promptTokens: usage?.prompt_tokens ?? null,
      completionTokens: usage?.completion_tokens ?? (this.stream && this.pieces > 0 ? this.pieces : null),
      estimated: !usage && this.stream && this.pieces > 0,
      responseText: this.captured ? extractText(Buffer.concat(this.captured).toString("utf8"), this.stream) : null,
    };
  }
}

function countOccurrences(haystack: Buffer, needle: Buffer): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

type Usage = { prompt_tokens?: number; completion_tokens?: number };

function findLastUsage(text: string): Usage | null {
  const matches = text.match(/"usage":\s*\{[^{}]*\}/g);
  if (!matches) return null;
  try {
    const usage = JSON.parse(matches[matches.length - 1].slice(matches[matches.length - 1].indexOf("{"))) as Usage;
    return typeof usage.completion_tokens === "number" ? usage : null;
  } catch {
    return null;
  }
}

function extractText(body: string, stream: boolean): string {
  const pieceOf = (value: {
    choices?: { delta?: { content?: string }; message?: { content?: string }; text?: string }[];
    Result?: string;
  }) =>
    value.Result ?? value.choices?.map((c) => c.delta?.content ?? c.message?.content ?? c.text ?? "").join("") ?? "";
  if (!stream) {
    try {
      return pieceOf(JSON.parse(body));
    } catch {
      return body;
    }
  }
  let text = "";
  for (const line of body.split("\n")) {
    if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
    try {
      text += pieceOf(JSON.parse(line.slice(6)));
    } catch {
      // a line cut by the capture limit
    }
  }
  return text;
}
