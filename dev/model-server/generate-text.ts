/**
 * Deterministic "generation": the same model and prompt always yield the same tokens, so tests
 * can assert on answers and the benchmark measures transport, not text. One token = one word
 * (with its leading space), which is also how the double counts tokens.
 */

const WORDS = (
  "the model answers every question with plain words drawn from a small vocabulary so that " +
  "streaming latency and throughput can be measured without a GPU while tests still see text " +
  "that changes with the prompt and reads like a reply from a careful assistant about kubernetes " +
  "workspaces nodes adapters inference tokens latency and the cluster"
).split(" ");

const CODE_BLOCK = ["\n\n```ts\n", "const", " answer", " =", " 42;", "\n", "console.log(answer);", "\n```\n\n"];

export type Generation = { tokens: string[]; finishReason: "stop" | "length" };

export function hashString(text: string): number {
  // FNV-1a: tiny, stable across runs and platforms.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function nextRandom(state: number): number {
  return (Math.imul(state, 1664525) + 1013904223) >>> 0;
}

/** Counts prompt tokens the same way generated tokens are counted: whitespace-separated words. */
export function countTokens(text: string): number {
  const trimmed = text.trim();
  return trimmed === "" ? 0 : trimmed.split(/\s+/).length;
}

export function generateTokens(options: {
  model: string;
  prompt: string;
  maxTokens?: number;
  ignoreEos?: boolean;
  stop?: string[];
}): Generation {
  const seed = hashString(`${options.model}\n${options.prompt}`);
  // "long" in the prompt asks for an answer that takes seconds, so that stopping mid-stream can be tested.
  const natural = /\blong\b/i.test(options.prompt) ? 2000 : 24 + (seed % 40);
  const limit = options.maxTokens ?? Number.POSITIVE_INFINITY;
  const wanted = options.ignoreEos ? limit : Math.min(natural, limit);
  if (!Number.isFinite(wanted)) throw new Error("ignore_eos needs max_tokens");

  const tokens: string[] = [];
  const intro = [`Echo`, ` from`, ` ${options.model}:`];
  const wantsCode = /\bcode\b/i.test(options.prompt);
  let state = seed;
  let sinceStop = 0;
  while (tokens.length < wanted) {
    const i = tokens.length;
    if (i < intro.length) {
      tokens.push(intro[i]);
    } else if (wantsCode && i >= intro.length + 6 && i < intro.length + 6 + CODE_BLOCK.length) {
      tokens.push(CODE_BLOCK[i - intro.length - 6]);
      sinceStop = 0;
    } else {
      state = nextRandom(state);
      sinceStop++;
      const word = WORDS[state % WORDS.length];
      tokens.push(sinceStop > 10 && state % 3 === 0 ? ` ${word}.` : ` ${word}`);
      if (tokens[tokens.length - 1].endsWith(".")) sinceStop = 0;
    }
  }
  const finishReason = options.ignoreEos || natural > limit ? "length" : "stop";
  return applyStop({ tokens, finishReason }, options.stop ?? []);
}

/** Like vLLM, the output ends before the first stop string, which itself is not returned. */
function applyStop(generation: Generation, stop: string[]): Generation {
  if (stop.length === 0) return generation;
  let text = "";
  for (let i = 0; i < generation.tokens.length; i++) {
    const before = text.length;
    text += generation.tokens[i];
    for (const s of stop) {
      const at = s === "" ? -1 : text.indexOf(s);
      if (at !== -1) {
        const tokens = generation.tokens.slice(0, i);
        const partial = text.slice(before, at);
        if (partial) tokens.push(partial);
        return { tokens, finishReason: "stop" };
      }
    }
  }
  return generation;
}
