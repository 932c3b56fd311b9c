import "server-only";

/** The part of a principal the proxy needs (server/auth's Principal satisfies it). */
export type InferencePrincipal = { userId: string; tokenId?: string };

/** The fields of a Workspace the proxy reads; the shared watch cache's objects satisfy it. */
export type InferenceWorkspace = {
  metadata: { namespace?: string; name?: string; labels?: Record<string, string>; deletionTimestamp?: string | Date };
  inference?: { preset?: { name?: string }; adapters?: { source?: { name?: string } }[] };
  status?: { conditions?: { type: string; status: string }[] };
};

export type WorkspaceLookup = {
  get(namespace: string, name: string): InferenceWorkspace | undefined;
  list(): InferenceWorkspace[];
  /** Resolves once the cache holds the first list, so a fresh process does not answer 404 for everything. */
  ready(timeoutMs?: number): Promise<void>;
};

export type UsageRecord = {
  userId: string;
  tokenId: string | null;
  namespace: string;
  workspace: string;
  endpoint: string;
  model: string | null;
  stream: boolean;
  status: number;
  errorCode: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** True when the upstream sent no usage and completion tokens were counted from the stream. */
  usageEstimated: boolean;
  ttftMs: number | null;
  durationMs: number;
  promptText: string | null;
  responseText: string | null;
};
