import { createParser } from "eventsource-parser";

import { type ChatRequestBody } from "./build-chat-request";
import type { ChatTarget, MessageStats } from "./chat-types";

export type StreamUpdate = { content: string; stats: MessageStats };

/** An error the user should read as-is: the proxy's JSON error message or a mid-stream error event. */
export class ChatStreamError extends Error {}

/**
 * Sends one chat request through the dashboard's inference proxy (the browser's session cookie
 * authenticates it) and reports the growing answer and its figures as chunks arrive.
 */
export async function streamChat(
  target: ChatTarget,
  body: ChatRequestBody,
  signal: AbortSignal,
  onUpdate: (update: StreamUpdate) => void,
): Promise<StreamUpdate> {
  const startedAt = performance.now();
  const response = await fetch(`/api/inference/${target.namespace}/${target.name}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok || !response.body) throw new ChatStreamError(await errorMessage(response));

  let content = "";
  let pieces = 0;
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  let usageTokens: number | null = null;
  const snapshot = (): StreamUpdate => {
    const tokens = usageTokens ?? pieces;
    const decodeSeconds = firstAt !== null && lastAt !== null ? (lastAt - firstAt) / 1000 : 0;
    return {
      content,
      stats: {
        ttftMs: firstAt === null ? null : firstAt - startedAt,
        tokensPerSecond: decodeSeconds > 0 && tokens > 1 ? (tokens - 1) / decodeSeconds : null,
        tokens,
        estimated: usageTokens === null,
      },
    };
  };

  // eventsource-parser handles what hand-written splitting got wrong: CRLF and CR line ends,
  // multi-line data fields and events cut anywhere across network chunks.
  let failure = null as ChatStreamError | null;
  const parser = createParser({
    onEvent(event) {
      if (failure || event.data === "[DONE]") return;
      const chunk = JSON.parse(event.data) as {
        error?: { message?: string };
        choices?: { delta?: { content?: string } }[];
        usage?: { completion_tokens?: number } | null;
      };
      if (chunk.error) {
        failure = new ChatStreamError(chunk.error.message ?? "The model server failed mid-answer");
        return;
      }
      const delta = chunk.choices?.[0]?.delta?.content;
      if (delta) {
        const now = performance.now();
        firstAt ??= now;
        lastAt = now;
        pieces++;
        content += delta;
      }
      if (typeof chunk.usage?.completion_tokens === "number") usageTokens = chunk.usage.completion_tokens;
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.feed(value);
    if (failure) {
      await reader.cancel();
      throw failure;
    }
    // One update per network chunk, not per event: a chunk often carries several tokens.
    onUpdate(snapshot());
  }
  return snapshot();
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON
  }
  return `The request failed (HTTP ${response.status})`;
}
