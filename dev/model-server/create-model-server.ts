import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";

import { DNS_LABEL_SOURCE, DNS_SUBDOMAIN_SOURCE } from "@/lib/kaito/names";

import { FAULT_MODES, Faults, type FaultMode } from "./faults";
import { countTokens, generateTokens } from "./generate-text";
import { RequestQueue } from "./request-queue";
import type { ModelSource, ServedModels } from "./workspace-models";

export type ModelServerOptions = {
  /** Time to first token. */
  ttftMs: number;
  /** Delay between two tokens of one answer. */
  tokenDelayMs: number;
  /** Sequences generated at once per workspace; more wait in the queue. */
  maxConcurrency: number;
  /** Waiting requests per workspace before 429. */
  maxQueue: number;
  /** Model id served on unprefixed paths (/v1/…), as a single vLLM pod would. */
  defaultModel: string;
  models: ModelSource;
};

type Scope = { key: string; served: ServedModels };
type Counters = {
  prompt: number;
  generation: number;
  success: Record<string, number>;
  ttftSum: number;
  ttftCount: number;
};

const WORKSPACE_PREFIX = new RegExp(String.raw`^\/ws\/(${DNS_LABEL_SOURCE})\/(${DNS_SUBDOMAIN_SOURCE})(\/.*)?$`);
const MAX_BODY_BYTES = 4 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = "BadRequestError",
  ) {
    super(message);
  }
}

/**
 * One process standing in for the inference Service of every Workspace: requests under
 * /ws/{namespace}/{name}/… are served as that workspace's vLLM pod (its preset's model id and its
 * adapters), matching the proxy's static resolver template `http://host:port/ws/{namespace}/{name}`.
 */
export function createModelServer(options: ModelServerOptions) {
  const faults = new Faults();
  const queues = new Map<string, RequestQueue>();
  const counters = new Map<string, Counters>();
  const openResponses = new Set<ServerResponse>();

  const queueFor = (key: string) => {
    let queue = queues.get(key);
    if (!queue) queues.set(key, (queue = new RequestQueue(options.maxConcurrency, options.maxQueue)));
    return queue;
  };
  const countersFor = (model: string) => {
    let c = counters.get(model);
    if (!c) counters.set(model, (c = { prompt: 0, generation: 0, success: {}, ttftSum: 0, ttftCount: 0 }));
    return c;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://double");
    if (url.pathname.startsWith("/_double/")) return control(req, res, url.pathname);

    let scope: Scope;
    let path = url.pathname;
    const routed = WORKSPACE_PREFIX.exec(path);
    if (routed) {
      const served = await options.models(routed[1], routed[2]);
      if (!served) throw new HttpError(404, `No inference workspace ${routed[1]}/${routed[2]}`, "NotFoundError");
      scope = { key: `${routed[1]}/${routed[2]}`, served };
      path = routed[3] ?? "/";
    } else {
      scope = { key: "default", served: { modelId: options.defaultModel, root: options.defaultModel, adapters: [] } };
    }

    if (req.method === "GET" && path === "/health") return void res.writeHead(200).end();
    if (req.method === "GET" && path === "/metrics") return metrics(res);
    if (req.method === "GET" && path === "/v1/models") return sendJson(res, 200, listModels(scope.served));
    if (req.method === "POST" && (path === "/v1/chat/completions" || path === "/v1/completions" || path === "/chat")) {
      const body = await readJson(req);
      return generate(req, res, scope, path, body);
    }
    throw new HttpError(404, "Not Found", "NotFoundError");
  }

  async function generate(req: IncomingMessage, res: ServerResponse, scope: Scope, path: string, body: Body) {
    const kind = path === "/chat" ? "legacy" : path === "/v1/completions" ? "completion" : "chat";
    const request = parseGeneration(kind, body, scope.served);

    const fault = faults.for(scope.key);
    if (fault === "fail") throw new HttpError(500, "The model server failed (injected fault)", "InternalServerError");
    if (fault === "overload") throw new HttpError(429, "Too many requests: the queue is full", "TooManyRequests");

    const abort = new AbortController();
    res.on("close", () => abort.abort());
    if (fault === "stall") return; // holds the connection open until the caller gives up

    const release = await queueFor(scope.key).acquire(abort.signal);
    if (!release) throw new HttpError(429, "Too many requests: the queue is full", "TooManyRequests");
    if (abort.signal.aborted) return release();
    abort.signal.addEventListener("abort", release, { once: true });

    const generation = generateTokens({
      model: request.model,
      prompt: request.prompt,
      maxTokens: request.maxTokens,
      ignoreEos: request.ignoreEos,
      stop: request.stop,
    });
    const promptTokens = countTokens(request.prompt);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: generation.tokens.length,
      total_tokens: promptTokens + generation.tokens.length,
    };
    const stats = countersFor(request.model);
    const finish = () => {
      release();
      stats.prompt += promptTokens;
      stats.generation += generation.tokens.length;
      stats.success[generation.finishReason] = (stats.success[generation.finishReason] ?? 0) + 1;
    };
    const started = Date.now();
    const noteFirstToken = () => {
      stats.ttftSum += (Date.now() - started) / 1000;
      stats.ttftCount++;
    };

    if (!request.stream) {
      await sleep(options.ttftMs + options.tokenDelayMs * Math.max(0, generation.tokens.length - 1), abort.signal);
      if (abort.signal.aborted) return;
      noteFirstToken();
      finish();
      const text = generation.tokens.join("");
      if (kind === "legacy") return sendJson(res, 200, { Result: text });
      return sendJson(res, 200, completionBody(kind, request.model, text, generation.finishReason, usage));
    }

    const id = `${kind === "chat" ? "chatcmpl" : "cmpl"}-${randomUUID().replaceAll("-", "")}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({
        id,
        object: kind === "chat" ? "chat.completion.chunk" : "text_completion",
        created,
        model: request.model,
        choices: [{ index: 0, ...choice, logprobs: null }],
        ...extra,
      })}\n\n`;
    const piece = (text: string, finishReason: string | null) =>
      kind === "chat"
        ? chunk({ delta: { content: text }, finish_reason: finishReason })
        : chunk({ text, finish_reason: finishReason, stop_reason: null });

    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    res.flushHeaders();
    openResponses.add(res);
    res.on("close", () => openResponses.delete(res));

    await sleep(options.ttftMs, abort.signal);
    if (abort.signal.aborted) return;
    noteFirstToken();
    if (kind === "chat") res.write(chunk({ delta: { role: "assistant", content: "" }, finish_reason: null }));
    for (let i = 0; i < generation.tokens.length; i++) {
      if (i > 0) await sleep(options.tokenDelayMs, abort.signal);
      if (abort.signal.aborted) return;
      if (fault === "break" && i === 3) return void res.destroy();
      const last = i === generation.tokens.length - 1;
      res.write(piece(generation.tokens[i], last ? generation.finishReason : null));
    }
    if (generation.tokens.length === 0) res.write(piece("", generation.finishReason));
    if (request.includeUsage) {
      const body = {
        id,
        object: kind === "chat" ? "chat.completion.chunk" : "text_completion",
        created,
        model: request.model,
        choices: [],
        usage,
      };
      res.write(`data: ${JSON.stringify(body)}\n\n`);
    }
    res.end("data: [DONE]\n\n");
    finish();
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string) {
    if (path !== "/_double/faults") throw new HttpError(404, "Not Found", "NotFoundError");
    if (req.method === "DELETE") faults.clear();
    else if (req.method === "POST") {
      const body = await readJson(req);
      const mode = body.mode;
      if (typeof body.target !== "string" || !(mode === "none" || FAULT_MODES.includes(mode as FaultMode)))
        throw new HttpError(
          400,
          `Expected {"target": "ns/name" | "default" | "*", "mode": ${[...FAULT_MODES, "none"].join("|")}}`,
        );
      faults.set(body.target, mode as FaultMode | "none");
    } else if (req.method !== "GET") throw new HttpError(405, "Method not allowed");
    sendJson(res, 200, { faults: faults.list() });
  }

  function metrics(res: ServerResponse) {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    family("vllm:num_requests_running", "gauge", "Number of requests currently running.");
    for (const [key, q] of queues) lines.push(`vllm:num_requests_running{workspace="${key}"} ${q.running}`);
    family("vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.");
    for (const [key, q] of queues) lines.push(`vllm:num_requests_waiting{workspace="${key}"} ${q.waitingCount}`);
    family("vllm:prompt_tokens_total", "counter", "Number of prefill tokens processed.");
    for (const [model, c] of counters) lines.push(`vllm:prompt_tokens_total{model_name="${model}"} ${c.prompt}`);
    family("vllm:generation_tokens_total", "counter", "Number of generation tokens processed.");
    for (const [model, c] of counters)
      lines.push(`vllm:generation_tokens_total{model_name="${model}"} ${c.generation}`);
    family("vllm:request_success_total", "counter", "Count of successfully processed requests.");
    for (const [model, c] of counters)
      for (const [reason, n] of Object.entries(c.success))
        lines.push(`vllm:request_success_total{model_name="${model}",finished_reason="${reason}"} ${n}`);
    family("vllm:time_to_first_token_seconds", "summary", "Time to first token in seconds.");
    for (const [model, c] of counters) {
      lines.push(`vllm:time_to_first_token_seconds_sum{model_name="${model}"} ${c.ttftSum}`);
      lines.push(`vllm:time_to_first_token_seconds_count{model_name="${model}"} ${c.ttftCount}`);
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(lines.join("\n") + "\n");
  }

  const server = http.createServer({ noDelay: true, keepAliveTimeout: 65_000 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const type = err instanceof HttpError ? err.type : "InternalServerError";
      const message = err instanceof Error ? err.message : String(err);
      if (res.headersSent) return void res.destroy();
      sendJson(res, status, { object: "error", message, type, param: null, code: status });
    });
  });

  return {
    server,
    faults,
    /** Ends streams in flight so that close() does not wait for them. */
    closeAll(): void {
      for (const res of openResponses) res.destroy();
      server.closeAllConnections();
    },
  };
}

type Body = Record<string, unknown>;

type GenerationRequest = {
  model: string;
  prompt: string;
  stream: boolean;
  includeUsage: boolean;
  maxTokens?: number;
  ignoreEos: boolean;
  stop: string[];
};

function parseGeneration(kind: "chat" | "completion" | "legacy", body: Body, served: ServedModels): GenerationRequest {
  const known = [served.modelId, ...served.adapters];
  let model = served.modelId;
  if (kind !== "legacy" && body.model !== undefined) {
    if (typeof body.model !== "string" || !known.includes(body.model))
      throw new HttpError(404, `The model \`${String(body.model)}\` does not exist.`, "NotFoundError");
    model = body.model;
  }

  let prompt: string;
  if (kind === "completion" || (kind === "legacy" && body.messages === undefined)) {
    if (typeof body.prompt !== "string") throw new HttpError(400, "'prompt' must be a string");
    prompt = body.prompt;
  } else {
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      throw new HttpError(400, "'messages' must be a non-empty list");
    prompt = body.messages.map(messageText).join("\n");
  }
  if (typeof body.seed === "number") prompt += `\n#seed ${body.seed}`;

  const legacyKwargs = (body.generate_kwargs ?? {}) as Body;
  const rawMax = kind === "legacy" ? (legacyKwargs.max_length ?? 200) : (body.max_tokens ?? body.max_completion_tokens);
  if (rawMax !== undefined && rawMax !== null && (!Number.isInteger(rawMax) || (rawMax as number) < 1))
    throw new HttpError(400, "max_tokens must be at least 1");
  const temperature = body.temperature;
  if (
    temperature !== undefined &&
    temperature !== null &&
    (typeof temperature !== "number" || temperature < 0 || temperature > 2)
  )
    throw new HttpError(400, "temperature must be between 0 and 2");
  const stop = typeof body.stop === "string" ? [body.stop] : Array.isArray(body.stop) ? body.stop.map(String) : [];
  const streamOptions = (body.stream_options ?? {}) as Body;
  const maxTokens = (rawMax ?? undefined) as number | undefined;
  const ignoreEos = body.ignore_eos === true;
  if (ignoreEos && maxTokens === undefined) throw new HttpError(400, "ignore_eos needs max_tokens");

  return {
    model,
    prompt,
    stream: kind !== "legacy" && body.stream === true,
    includeUsage: streamOptions.include_usage === true,
    maxTokens,
    ignoreEos,
    stop,
  };
}

function messageText(message: unknown): string {
  const content = (message as { content?: unknown })?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === "string" ? part.text : "")).join(" ");
  throw new HttpError(400, "each message needs a 'content'");
}

function listModels(served: ServedModels) {
  const created = Math.floor(Date.now() / 1000);
  const entry = (id: string, root: string, parent: string | null) => ({
    id,
    object: "model",
    created,
    owned_by: "vllm",
    root,
    parent,
    max_model_len: 4096,
  });
  return {
    object: "list",
    data: [
      entry(served.modelId, served.root, null),
      ...served.adapters.map((a) => entry(a, `/mnt/adapter/${a}`, served.modelId)),
    ],
  };
}

function completionBody(
  kind: "chat" | "completion",
  model: string,
  text: string,
  finishReason: string,
  usage: Record<string, number>,
) {
  const created = Math.floor(Date.now() / 1000);
  const id = `${kind === "chat" ? "chatcmpl" : "cmpl"}-${randomUUID().replaceAll("-", "")}`;
  const choice =
    kind === "chat"
      ? {
          index: 0,
          message: { role: "assistant", content: text, tool_calls: [] },
          logprobs: null,
          finish_reason: finishReason,
          stop_reason: null,
        }
      : { index: 0, text, logprobs: null, finish_reason: finishReason, stop_reason: null };
  return {
    id,
    object: kind === "chat" ? "chat.completion" : "text_completion",
    created,
    model,
    choices: [choice],
    usage,
  };
}

async function readJson(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "Request body too large");
    chunks.push(chunk as Buffer);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (body && typeof body === "object" && !Array.isArray(body)) return body as Body;
  } catch {
    // reported below
  }
  throw new HttpError(400, "The request body must be a JSON object");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
