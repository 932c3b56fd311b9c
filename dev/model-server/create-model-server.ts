import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";

import { DNS_LABEL_SOURCE, DNS_SUBDOMAIN_SOURCE } from "@/lib/kaito/names";

import { FAULT_MODES, Faults, type FaultMode } from "./faults";
import { countTokens, generateTokens } from "./generate-text";
import { RequestQueue } from "./request-queue";
import { VllmMetrics } from "./vllm-metrics";
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
  /** KV cache size in tokens per workspace, the denominator of vllm:kv_cache_usage_perc. */
  kvCacheTokens?: number;
};

/** What the GPU metrics double reads to let utilisation follow the load (GET /_double/load). */
export type ServedLoad = Record<string, { running: number; waiting: number; kvCacheUsage: number }>;

type Scope = { key: string; served: ServedModels };

const MAX_MODEL_LEN = 4096;

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
  const metrics = new Map<string, VllmMetrics>();
  const openResponses = new Set<ServerResponse>();

  const queueFor = (key: string) => {
    let queue = queues.get(key);
    if (!queue) queues.set(key, (queue = new RequestQueue(options.maxConcurrency, options.maxQueue)));
    return queue;
  };
  // A workspace's series start over when its model or adapters change, as they would when the
  // real pod restarts with new arguments.
  const metricsFor = ({ key, served }: Scope) => {
    const current = metrics.get(key);
    const same =
      current?.options.modelName === served.modelId &&
      current.options.adapters.join("\n") === served.adapters.join("\n");
    if (current && same) return current;
    const fresh = new VllmMetrics({
      modelName: served.modelId,
      adapters: [...served.adapters],
      kvCacheTokens: options.kvCacheTokens ?? 16_384,
      maxModelLen: MAX_MODEL_LEN,
    });
    metrics.set(key, fresh);
    return fresh;
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
    if (req.method === "GET" && path === "/metrics") return sendMetrics(res, metricsFor(scope));
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

    const promptTokens = countTokens(request.prompt);
    const recorder = metricsFor(scope).arrive(
      request.model === scope.served.modelId ? null : request.model,
      promptTokens,
    );
    const release = await queueFor(scope.key).acquire(abort.signal);
    if (!release) {
      recorder.drop();
      throw new HttpError(429, "Too many requests: the queue is full", "TooManyRequests");
    }
    if (abort.signal.aborted) {
      recorder.finish("abort");
      return release();
    }
    recorder.start();
    abort.signal.addEventListener(
      "abort",
      () => {
        release();
        recorder.finish("abort");
      },
      { once: true },
    );

    const generation = generateTokens({
      model: request.model,
      prompt: request.prompt,
      maxTokens: request.maxTokens,
      ignoreEos: request.ignoreEos,
      stop: request.stop,
    });
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: generation.tokens.length,
      total_tokens: promptTokens + generation.tokens.length,
    };
    const finish = () => {
      release();
      recorder.finish(generation.finishReason);
    };

    if (!request.stream) {
      await sleep(options.ttftMs, abort.signal);
      if (abort.signal.aborted) return;
      recorder.tokens(Math.min(1, generation.tokens.length));
      await sleep(options.tokenDelayMs * Math.max(0, generation.tokens.length - 1), abort.signal);
      if (abort.signal.aborted) return;
      recorder.tokens(generation.tokens.length - 1);
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
    if (kind === "chat") res.write(chunk({ delta: { role: "assistant", content: "" }, finish_reason: null }));
    for (let i = 0; i < generation.tokens.length; i++) {
      if (i > 0) await sleep(options.tokenDelayMs, abort.signal);
      if (abort.signal.aborted) return;
      if (fault === "break" && i === 3) return void res.destroy();
      const last = i === generation.tokens.length - 1;
      recorder.tokens(1);
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
    if (path === "/_double/load" && req.method === "GET") return sendJson(res, 200, servedLoad());
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

  function servedLoad(): ServedLoad {
    const load: ServedLoad = {};
    for (const [key, m] of metrics)
      load[key] = { running: m.runningCount, waiting: m.waitingCount, kvCacheUsage: m.kvCacheUsage() };
    return load;
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

async function sendMetrics(res: ServerResponse, metrics: VllmMetrics): Promise<void> {
  const text = await metrics.render();
  res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text);
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
