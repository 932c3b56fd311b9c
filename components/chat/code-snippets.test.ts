import { describe, expect, it } from "vitest";

import { buildChatRequest } from "./build-chat-request";
import { DEFAULT_SETTINGS } from "./chat-types";
import { buildSnippet } from "./code-snippets";

const target = { namespace: "team-a", name: "phi", model: "phi-3-mini-4k-instruct" };
const body = buildChatRequest(target, { ...DEFAULT_SETTINGS, systemPrompt: "Be brief.", stop: "###\nEND" }, [
  { role: "user", content: "It's 5 o'clock" },
]);

describe("chat request and snippets", () => {
  it("builds an OpenAI body with the system prompt, stop list and usage in the stream", () => {
    expect(body.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "It's 5 o'clock" },
    ]);
    expect(body.stop).toEqual(["###", "END"]);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it("quotes the body for the shell and points every snippet at the proxy with an API token", () => {
    const curl = buildSnippet("curl", "https://kd.example", target, body);
    expect(curl).toContain("https://kd.example/api/inference/team-a/phi/v1/chat/completions");
    expect(curl).toContain(`"It'\\''s 5 o'\\''clock"`);
    expect(curl).toContain("$KD_API_TOKEN");
    const python = buildSnippet("python", "https://kd.example", target, body);
    expect(python).toContain('base_url="https://kd.example/api/inference/team-a/phi/v1"');
    expect(python).toContain("stream=True,");
    const ts = buildSnippet("typescript", "https://kd.example", target, body);
    expect(ts).toContain('baseURL: "https://kd.example/api/inference/team-a/phi/v1"');
    expect(ts).not.toContain("cookie");
  });
});
