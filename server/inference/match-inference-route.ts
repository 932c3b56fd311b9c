import "server-only";

import { DNS_LABEL_SOURCE } from "@/lib/kaito/names";

/** The only upstream paths the proxy forwards: the OpenAI-compatible API and Kaito's legacy /chat. */
export const ALLOWED_PATHS = {
  "/v1/chat/completions": "POST",
  "/v1/completions": "POST",
  "/v1/models": "GET",
  "/chat": "POST",
} as const;

export type AllowedPath = keyof typeof ALLOWED_PATHS;

export type InferenceRoute =
  { kind: "proxy"; namespace: string; name: string; path: AllowedPath } | { kind: "list-workspaces" };

export const INFERENCE_PREFIX = "/api/inference/";

// Namespace and Workspace names are DNS-1123 labels. Matching the raw URL (not a decoded one)
// against a closed set means "%2e%2e", "//", "\" or a smuggled host never reach an upstream URL.
const PROXY_ROUTE = new RegExp(
  String.raw`^\/api\/inference\/(${DNS_LABEL_SOURCE})\/(${DNS_LABEL_SOURCE})(\/[a-z0-9/]+)$`,
);

export function matchInferenceRoute(rawUrl: string): InferenceRoute | null {
  const queryAt = rawUrl.indexOf("?");
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  if (path === "/api/inference/workspaces") return { kind: "list-workspaces" };
  const match = PROXY_ROUTE.exec(path);
  if (!match || !Object.hasOwn(ALLOWED_PATHS, match[3])) return null;
  return { kind: "proxy", namespace: match[1], name: match[2], path: match[3] as AllowedPath };
}
