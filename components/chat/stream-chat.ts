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

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let boundary: number;
    while ((boundary = buffer.indexOf("\n\n")) !== -1) {
      const event = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      for (const line of event.split("\n")) {
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") continue;
        const chunk = JSON.parse(data) as {
          error?: { message?: string };
          choices?: { delta?: { content?: string } }[];
          usage?: { completion_tokens?: number } | null;
        };
        if (chunk.error) throw new ChatStreamError(chunk.error.message ?? "The model server failed mid-answer");
        const delta = chunk.choices?.[0]?.delta?.content;
        if (delta) {
          const now = performance.now();
          firstAt ??= now;
          lastAt = now;
          pieces++;
          content += delta;
        }
        if (typeof chunk.usage?.completion_tokens === "number") usageTokens = chunk.usage.completion_tokens;
      }
    }
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
