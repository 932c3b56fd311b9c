import type { ChatMessage, ChatTarget, SamplingSettings } from "./chat-types";

export type ChatRequestBody = {
  model: string;
  messages: { role: "system" | "user" | "assistant"; content: string }[];
  temperature: number;
  top_p: number;
  max_tokens: number;
  presence_penalty: number;
  frequency_penalty: number;
  stop?: string[];
  stream: true;
  stream_options: { include_usage: true };
};

/** The OpenAI-compatible body for a column: its own history, the shared system prompt and sampling settings. */
export function buildChatRequest(
  target: ChatTarget,
  settings: SamplingSettings,
  history: ChatMessage[],
): ChatRequestBody {
  const stop = settings.stop
    .split("\n")
    .map((s) => s.replace(/\\n/g, "\n"))
    .filter((s) => s.length > 0);
  return {
    model: target.model,
    messages: [
      ...(settings.systemPrompt.trim() ? [{ role: "system" as const, content: settings.systemPrompt }] : []),
      ...history.filter((m) => !m.error || m.content).map((m) => ({ role: m.role, content: m.content })),
    ],
    temperature: settings.temperature,
    top_p: settings.topP,
    max_tokens: settings.maxTokens,
    presence_penalty: settings.presencePenalty,
    frequency_penalty: settings.frequencyPenalty,
    ...(stop.length ? { stop } : {}),
    stream: true,
    stream_options: { include_usage: true },
  };
}

export function inferenceBaseUrl(origin: string, target: Pick<ChatTarget, "namespace" | "name">): string {
  return `${origin}/api/inference/${target.namespace}/${target.name}/v1`;
}
