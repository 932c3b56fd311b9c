import "server-only";

const TAIL_BYTES = 8 * 1024;
const MAX_CAPTURE_BYTES = 256 * 1024;
const CONTENT_DELTA = Buffer.from('"delta":{"content":');
const TEXT_PIECE = Buffer.from('"text":');

export type SniffedUsage = {
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  estimated: boolean;
  responseText: string | null;
};

/**
 * Watches the bytes flowing back without holding them up: notes when the first one arrived,
 * counts streamed pieces (one per token for vLLM) as a fallback, and keeps only the tail, where
 * vLLM puts the usage object both in a JSON reply and in the last SSE chunk.
 */
export class UsageSniffer {
  private firstByteAt: number | null = null;
  private pieces = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
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
    if (this.stream) this.pieces += countOccurrences(chunk, CONTENT_DELTA) + countOccurrences(chunk, TEXT_PIECE);
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tail.length > 1 && this.tailBytes - this.tail[0].length >= TAIL_BYTES)
      this.tailBytes -= this.tail.shift()!.length;
    if (this.captured && this.capturedBytes < MAX_CAPTURE_BYTES) {
      this.captured.push(chunk);
      this.capturedBytes += chunk.length;
    }
  }

  finish(): SniffedUsage {
    const usage = findLastUsage(Buffer.concat(this.tail).toString("utf8"));
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
