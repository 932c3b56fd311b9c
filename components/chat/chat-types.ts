/** Where a column of the playground sends its requests. */
export type ChatTarget = { namespace: string; name: string; model: string };

export type SamplingSettings = {
  systemPrompt: string;
  temperature: number;
  topP: number;
  maxTokens: number;
  /** One stop sequence per line. */
  stop: string;
  presencePenalty: number;
  frequencyPenalty: number;
};

export type MessageStats = {
  ttftMs: number | null;
  /** From the first token on, so that queueing and prefill do not hide decode speed. */
  tokensPerSecond: number | null;
  tokens: number;
  /** Counted from streamed pieces until the server's usage figures arrive. */
  estimated: boolean;
};

export type ChatMessage = {
  role: "user" | "assistant";
  content: string;
  stats?: MessageStats;
  error?: string;
  stopped?: boolean;
};

export type ChatColumn = { id: string; target: ChatTarget | null; messages: ChatMessage[] };

export type Conversation = {
  id: string;
  title: string;
  updatedAt: string;
  settings: SamplingSettings;
  columns: ChatColumn[];
};

export const DEFAULT_SETTINGS: SamplingSettings = {
  systemPrompt: "",
  temperature: 0.7,
  topP: 1,
  maxTokens: 512,
  stop: "",
  presencePenalty: 0,
  frequencyPenalty: 0,
};

export const MAX_COLUMNS = 3;
