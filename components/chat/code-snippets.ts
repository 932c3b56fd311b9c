import { inferenceBaseUrl, type ChatRequestBody } from "./build-chat-request";
import type { ChatTarget } from "./chat-types";

export type SnippetLanguage = "curl" | "python" | "typescript";

/**
 * The current request as code a user can paste, against this dashboard's proxy with a personal
 * API token (read from KD_API_TOKEN, never the browser's session).
 */
export function buildSnippet(
  language: SnippetLanguage,
  origin: string,
  target: ChatTarget,
  body: ChatRequestBody,
): string {
  const baseUrl = inferenceBaseUrl(origin, target);
  const json = JSON.stringify(body, null, 2);
  switch (language) {
    case "curl":
      return [
        `curl -N ${baseUrl}/chat/completions \\`,
        `  -H "Authorization: Bearer $KD_API_TOKEN" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '${json.replaceAll("'", "'\\''")}'`,
      ].join("\n");
    case "python": {
      const { model, messages, stream_options, ...rest } = body;
      const kwargs = Object.entries({ ...rest, stream_options })
        .map(([k, v]) => `    ${k}=${toPython(v)},`)
        .join("\n");
      return [
        "import os",
        "from openai import OpenAI",
        "",
        `client = OpenAI(base_url=${toPython(baseUrl)}, api_key=os.environ["KD_API_TOKEN"])`,
        "stream = client.chat.completions.create(",
        `    model=${toPython(model)},`,
        `    messages=${toPython(messages)},`,
        kwargs,
        ")",
        "for chunk in stream:",
        "    if chunk.choices and chunk.choices[0].delta.content:",
        '        print(chunk.choices[0].delta.content, end="", flush=True)',
        "",
      ].join("\n");
    }
    case "typescript":
      return [
        'import OpenAI from "openai";',
        "",
        `const client = new OpenAI({ baseURL: ${JSON.stringify(baseUrl)}, apiKey: process.env.KD_API_TOKEN });`,
        `const stream = await client.chat.completions.create(${json});`,
        "for await (const chunk of stream) {",
        '  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");',
        "}",
        "",
      ].join("\n");
  }
}

function toPython(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string" || typeof value === "number") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toPython).join(", ")}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${toPython(v)}`)
    .join(", ")}}`;
}
