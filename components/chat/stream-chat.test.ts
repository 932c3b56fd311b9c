import { afterEach, describe, expect, it, vi } from "vitest";

import { ChatStreamError, streamChat } from "./stream-chat";

const target = { namespace: "ns", name: "phi", model: "phi-3-mini-4k-instruct" };
const body = { model: "phi-3-mini-4k-instruct", messages: [], stream: true } as unknown as Parameters<
  typeof streamChat
>[1];

/** A proxy answer whose body arrives in exactly these network chunks. */
function answerWith(chunks: string[], init: ResponseInit = { status: 200 }) {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(stream, init)),
  );
}

const delta = (text: string) => `data: ${JSON.stringify({ choices: [{ delta: { content: text } }] })}`;

afterEach(() => vi.unstubAllGlobals());

describe("streamChat", () => {
  it("reassembles events cut anywhere across chunks, with CRLF line ends", async () => {
    const wire = `${delta("Hel")}\r\n\r\n${delta("lo")}\r\n\r\ndata: {"choices":[],"usage":{"completion_tokens":2}}\r\n\r\ndata: [DONE]\r\n\r\n`;
    answerWith([wire.slice(0, 7), wire.slice(7, 40), wire.slice(40, 41), wire.slice(41)]);
    const updates: string[] = [];
    const result = await streamChat(target, body, new AbortController().signal, (u) => updates.push(u.content));
    expect(result.content).toBe("Hello");
    expect(result.stats.tokens).toBe(2);
    expect(result.stats.estimated).toBe(false);
    expect(updates.at(-1)).toBe("Hello");
  });

  it("ignores comments and keeps the answer when the server sends no usage", async () => {
    answerWith([`: keep-alive\n\n${delta("a")}\n\n${delta("b")}\n\n`]);
    const result = await streamChat(target, body, new AbortController().signal, () => {});
    expect(result.content).toBe("ab");
    expect(result.stats).toMatchObject({ tokens: 2, estimated: true });
  });

  it("turns an error event in the middle of the answer into an error the user reads", async () => {
    answerWith([
      `${delta("par")}\n\n`,
      `data: {"error":{"message":"The model server of ns/phi closed the connection mid-answer"}}\n\n`,
    ]);
    await expect(streamChat(target, body, new AbortController().signal, () => {})).rejects.toThrow(
      new ChatStreamError("The model server of ns/phi closed the connection mid-answer"),
    );
  });

  it("reports the proxy's JSON error for a refused request", async () => {
    answerWith([JSON.stringify({ error: { message: "No workspace ns/phi" } })], { status: 404 });
    await expect(streamChat(target, body, new AbortController().signal, () => {})).rejects.toThrow(
      "No workspace ns/phi",
    );
  });
});
