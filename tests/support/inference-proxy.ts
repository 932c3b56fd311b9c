// What the inference-proxy integration tests share: the production handler on a local port, and a
// viewer holding a personal API token to call it with.
import http from "node:http";
import type { AddressInfo } from "node:net";

import type OpenAI from "openai";

import type { PrismaClient } from "@/server/db/client";
import { getInferenceProxy } from "@/server/inference/get-inference-proxy";
import { generateApiToken } from "@/server/tokens/api-token";

/** The inference fast path as server/web-server.ts mounts it, configured by the current env. */
export async function startInferenceProxy(): Promise<{ server: http.Server; base: string }> {
  const handler = getInferenceProxy();
  const server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function createTokenViewer(
  db: PrismaClient,
  email: string,
  tokenName: string,
): Promise<{ userId: string; token: string }> {
  const user = await db.user.create({ data: { email, role: "viewer" } });
  const generated = generateApiToken();
  await db.apiToken.create({
    data: { userId: user.id, name: tokenName, prefix: generated.prefix, hash: generated.hash },
  });
  return { userId: user.id, token: generated.token };
}

/** Reads a streamed chat completion from the openai SDK to its end. */
export async function readChatStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<{
  text: string;
  /** Every chunk, the closing usage-only one included. */
  chunks: number;
  /** The chunks that carried answer text. */
  contentChunks: number;
  usage: OpenAI.CompletionUsage | null | undefined;
}> {
  let text = "";
  let chunks = 0;
  let contentChunks = 0;
  let usage: OpenAI.CompletionUsage | null | undefined;
  for await (const chunk of stream) {
    chunks++;
    usage = chunk.usage ?? usage;
    const piece = chunk.choices[0]?.delta?.content;
    if (!piece) continue;
    text += piece;
    contentChunks++;
  }
  return { text, chunks, contentChunks, usage };
}
