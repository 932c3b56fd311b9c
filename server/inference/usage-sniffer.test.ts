import { describe, expect, it } from "vitest";

import { UsageSniffer } from "./usage-sniffer";

const event = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const token = (text: string) => event({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
const usageEvent = event({ choices: [], usage: { prompt_tokens: 9, total_tokens: 12, completion_tokens: 3 } });

function sniff(stream: boolean, chunks: string[]) {
  const sniffer = new UsageSniffer(1000, stream, false);
  chunks.forEach((chunk, i) => sniffer.onChunk(Buffer.from(chunk), 1010 + i));
  return sniffer.finish();
}

describe("UsageSniffer", () => {
  it("takes the usage of the last SSE event and the time to the first byte", () => {
    const sniffed = sniff(true, [token("a"), token("b"), token("c"), usageEvent, "data: [DONE]\n\n"]);
    expect(sniffed).toMatchObject({ ttftMs: 10, promptTokens: 9, completionTokens: 3, estimated: false });
  });

  it("finds the usage wherever the reads cut the stream", () => {
    const whole = [token("a"), token("b"), token("c"), usageEvent, "data: [DONE]\n\n"].join("");
    const usageAt = whole.indexOf('"usage":');
    // Cuts inside the key, inside the object and right before it.
    for (const cut of [usageAt - 1, usageAt, usageAt + 1, usageAt + 4, usageAt + 7, usageAt + 8, usageAt + 20]) {
      const sniffed = sniff(true, [whole.slice(0, cut), whole.slice(cut)]);
      expect(sniffed, `cut at ${cut}`).toMatchObject({ promptTokens: 9, completionTokens: 3, estimated: false });
    }
  });

  it("counts the streamed pieces when no usage comes", () => {
    const sniffed = sniff(true, [token("a") + token("b"), token("c"), "data: [DONE]\n\n"]);
    expect(sniffed).toMatchObject({ promptTokens: null, completionTokens: 3, estimated: true });
  });

  it("reads the usage at the end of a JSON reply", () => {
    const reply = JSON.stringify({
      choices: [{ message: { content: "x".repeat(20_000) } }],
      usage: { prompt_tokens: 5, completion_tokens: 7 },
    });
    const sniffed = sniff(false, [reply.slice(0, 9000), reply.slice(9000)]);
    expect(sniffed).toMatchObject({ promptTokens: 5, completionTokens: 7, estimated: false });
  });
});
