import "server-only";

import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";

import { nodeHeaders } from "@/server/actions/define-node-route";
import { NOT_SIGNED_IN, type RequestHeaders } from "@/server/actions/request-pipeline";
import { LABEL_CREATED_BY_INFERENCESET } from "@/lib/kaito/inferenceset";
import { isAppError } from "@/server/errors";

import type { InferenceConfig } from "./config";
import type { InferencePrincipal, InferenceWorkspace, UsageRecord, WorkspaceLookup } from "./inference-types";
import { ALLOWED_PATHS, matchInferenceRoute, type AllowedPath } from "./match-inference-route";
import { RateLimiter } from "./rate-limiter";
import type { ResolveEndpoint } from "./resolve-endpoint";
import { UsageSniffer } from "./usage-sniffer";
import { checkInferenceReady } from "./workspace-readiness";
import { createReplicaBalancer } from "@/server/inferencesets/replica-balancer";

export type InferenceProxyDeps<P extends InferencePrincipal = InferencePrincipal> = {
  config: InferenceConfig;
  /**
   * The request pipeline's authentication, Origin check and `inference:use` permission
   * (server/actions/request-pipeline.ts): the caller, or an AppError (401/403).
   */
  authorize(request: { method: string; headers: RequestHeaders }): Promise<P>;
  /** Whether the person may `get` this Workspace, and the refusal's message if not. */
  mayAccess?(
    principal: P,
    namespace: string,
    name: string,
  ): Promise<{ allowed: true } | { allowed: false; message: string }>;
  /** Which of the namespaces the person may list Workspaces in. */
  visibleTo?(principal: P, namespaces: string[]): Promise<(namespace: string) => boolean>;
  workspaces: WorkspaceLookup;
  resolve: ResolveEndpoint;
  recordUsage(record: UsageRecord): Promise<void>;
  /** The admin setting "store prompts and answers"; without it, config.recordContent (the env default). */
  recordContent?(): boolean | Promise<boolean>;
  log(message: string, error?: unknown): void;
};

/** OpenAI's error shape, so the openai SDK and curl users see the message as-is. */
class ProxyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

// Upstream responses are written under our origin; a model server (a Workspace may run any image)
// must not be able to serve HTML or set cookies there.
const SAFE_RESPONSE_HEADERS = {
  "cache-control": "no-cache, no-transform",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  // Tells nginx-style ingresses in front of us not to buffer the stream.
  "x-accel-buffering": "no",
};
// Built once: these go out on every answer of the hot path.
const STREAM_HEADERS = { ...SAFE_RESPONSE_HEADERS, "content-type": "text/event-stream; charset=utf-8" };
const JSON_HEADERS = { ...SAFE_RESPONSE_HEADERS, "content-type": "application/json" };

/**
 * The `/api/inference/*` fast path: authenticate, authorize, check the Workspace in the watch
 * cache, then pipe the request to its inference Service and the answer back chunk by chunk.
 */
export function createInferenceProxy<P extends InferencePrincipal>(deps: InferenceProxyDeps<P>) {
  const limiter = new RateLimiter(deps.config.rateLimitPerMinute);
  const balancer = createReplicaBalancer();

  return async function handleInference(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    let usage: PendingUsage | null = null;
    const finish = (status: number, errorCode: string | null) => {
      if (!usage) return;
      const record = { ...usage, status, errorCode, durationMs: Date.now() - startedAt };
      usage = null;
      deps.recordUsage(record).catch((err) => deps.log("could not record inference usage", err));
    };

    try {
      const route = matchInferenceRoute(req.url ?? "");
      if (!route)
        throw new ProxyError(
          404,
          "not_found",
          "No such inference endpoint. Allowed: " + Object.keys(ALLOWED_PATHS).join(", "),
        );

      const principal = await deps.authorize({ method: req.method ?? "GET", headers: nodeHeaders(req) }).catch(refusal);

      if (route.kind === "list-workspaces") {
        if (req.method !== "GET") throw new ProxyError(405, "method_not_allowed", "Use GET", { allow: "GET" });
        await deps.workspaces.ready().catch(() => {
          throw new ProxyError(503, "cluster_unavailable", "The Kubernetes cluster is not reachable");
        });
        const ready = deps.workspaces.list().filter((ws) => checkInferenceReady(ws).ok);
        const visible = await deps.visibleTo?.(
          principal,
          ready.map((ws) => ws.metadata.namespace ?? ""),
        );
        return sendJson(res, 200, {
          data: ready.filter((ws) => !visible || visible(ws.metadata.namespace ?? "")).map(describeWorkspace),
        });
      }

      const method = ALLOWED_PATHS[route.path];
      if (req.method !== method)
        throw new ProxyError(405, "method_not_allowed", `Use ${method} for ${route.path}`, { allow: method });

      const wait = limiter.take(principal.userId);
      if (wait > 0)
        throw new ProxyError(429, "rate_limited", `Too many requests from your account; retry in ${wait}s`, {
          "retry-after": String(wait),
        });

      await deps.workspaces.ready().catch(() => {
        throw new ProxyError(503, "cluster_unavailable", "The Kubernetes cluster is not reachable");
      });
      const target = `${route.namespace}/${route.name}`;
      const access = await deps.mayAccess?.(principal, route.namespace, route.name).catch(() => {
        throw new ProxyError(503, "cluster_unavailable", "The Kubernetes cluster is not reachable");
      });
      if (access && !access.allowed) throw new ProxyError(403, "forbidden", access.message);
      const workspace = deps.workspaces.get(route.namespace, route.name);
      // No Workspace of that name: an InferenceSet's, whose Ready children share its traffic (docs/inferencesets.md).
      const replicas = workspace
        ? []
        : balancer.order(balancer.children(deps.workspaces.list(), route.namespace, route.name));
      if (!workspace && !balancer.children(deps.workspaces.list(), route.namespace, route.name).length)
        throw new ProxyError(404, "workspace_not_found", `Workspace ${target} does not exist`);
      if (!workspace && !replicas.length)
        throw new ProxyError(409, "workspace_not_ready", `InferenceSet ${target} has no replica ready for inference`);
      const readiness = workspace ? checkInferenceReady(workspace) : { ok: true as const };
      if (!readiness.ok) throw new ProxyError(409, "workspace_not_ready", `Workspace ${target} ${readiness.reason}`);

      // Resolving can be slow (apiserver-proxy re-reads kubeconfig credentials): run it while the body arrives.
      const resolveOne = (name: string) =>
        deps.resolve(route.namespace, name, route.path).catch((err) => {
          deps.log(`cannot resolve the endpoint of ${route.namespace}/${name}`, err);
          return new ProxyError(502, "upstream_unreachable", `Cannot resolve the inference endpoint of ${target}`);
        });
      const attempts = workspace ? [route.name] : replicas;
      const resolving = resolveOne(attempts[0]);
      const body = method === "POST" ? await readBody(req, deps.config.maxBodyBytes) : null;
      const setting = deps.recordContent?.() ?? deps.config.recordContent;
      const recordContent = typeof setting === "boolean" ? setting : await setting;
      const request = body ? parseRequest(body, recordContent) : null;
      if (route.path !== "/v1/models")
        usage = {
          userId: principal.userId,
          tokenId: principal.tokenId ?? null,
          namespace: route.namespace,
          workspace: route.name,
          endpoint: route.path,
          model: request?.model ?? null,
          stream: request?.stream ?? false,
          promptTokens: null,
          completionTokens: null,
          usageEstimated: false,
          ttftMs: null,
          promptText: request?.promptText ?? null,
          responseText: null,
        };

      // A replica that answers 429 before a byte went out hands the request (its body is buffered) to the next.
      for (let i = 0; ; i++) {
        const name = attempts[i];
        const endpoint = i === 0 ? await resolving : await resolveOne(name);
        if (endpoint instanceof ProxyError) throw endpoint;
        if (usage) usage.workspace = name;
        const done = balancer.begin(route.namespace, name);
        try {
          await forward({
            req,
            res,
            deps,
            endpoint,
            body,
            target,
            route: route.path,
            startedAt,
            usage,
            recordContent,
            finish,
          });
          break;
        } catch (err) {
          const busy = err instanceof ProxyError && err.status === 429 && !workspace;
          if (busy) balancer.cool(route.namespace, name, err.headers["retry-after"]);
          if (!busy || res.headersSent || i + 1 >= attempts.length) throw err;
        } finally {
          done();
        }
      }
    } catch (err) {
      // The caller hung up while we were still reading its body or looking things up.
      if (!(err instanceof ProxyError) && (!res.socket || res.socket.destroyed)) return finish(499, "client_closed");
      // An AppError (an expired or revoked token, from authenticate) carries a message for the caller.
      const error =
        err instanceof ProxyError
          ? err
          : isAppError(err)
            ? new ProxyError(err.status, err.code, err.message)
            : new ProxyError(500, "internal_error", "The inference proxy failed; see the server log");
      if (!(err instanceof ProxyError) && !isAppError(err)) deps.log("inference proxy failure", err);
      finish(error.status, error.code);
      if (res.headersSent) return void res.destroy();
      sendError(res, error);
    }
  };
}

/** The pipeline's refusals in OpenAI's error shape; a 401 tells API clients how to authenticate. */
function refusal(error: unknown): never {
  if (isAppError(error) && error.code === "unauthenticated")
    throw new ProxyError(
      401,
      "unauthenticated",
      // An expired, revoked or wrong-scope token has its own message; no credentials at all get the how-to.
      error.message === NOT_SIGNED_IN
        ? "Sign in or send a personal API token as 'Authorization: Bearer kd_…'"
        : error.message,
      {
        "www-authenticate": 'Bearer realm="kaito-dashboard"',
      },
    );
  if (isAppError(error) && error.code === "forbidden") throw new ProxyError(403, "forbidden", error.message);
  throw error;
}

type ForwardArgs = {
  req: IncomingMessage;
  res: ServerResponse;
  deps: Pick<InferenceProxyDeps, "config" | "log">;
  endpoint: Awaited<ReturnType<ResolveEndpoint>>;
  body: Buffer | null;
  target: string;
  route: AllowedPath;
  startedAt: number;
  usage: PendingUsage | null;
  /** Keep the answer's text with the usage row (the admin setting, read once per request). */
  recordContent: boolean;
  finish(status: number, errorCode: string | null): void;
};

type PendingUsage = Omit<UsageRecord, "status" | "errorCode" | "durationMs">;

function forward(args: ForwardArgs): Promise<void> {
  const { req, res, deps, endpoint, body, target, startedAt } = args;
  const { responseTimeoutMs, idleTimeoutMs } = deps.config;
  const stream = args.usage?.stream ?? false;

  return new Promise((resolve, reject) => {
    const transport = endpoint.target.protocol === "https:" ? https : http;
    const upstream = transport.request({
      ...endpoint.target,
      ...endpoint.options,
      method: req.method,
      agent: endpoint.agent,
      // Only headers we choose: the caller's cookie and token must never reach a model server.
      headers: {
        ...endpoint.options.headers,
        accept: stream ? "text/event-stream" : "application/json",
        ...(body ? { "content-type": "application/json", "content-length": body.length } : {}),
      },
    });

    let settled = false;
    const fail = (error: ProxyError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      upstream.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          new ProxyError(
            504,
            "upstream_timeout",
            `The model server of ${target} did not answer within ${responseTimeoutMs / 1000}s`,
          ),
        ),
      responseTimeoutMs,
    );

    // The caller went away: stop the generation upstream instead of letting it burn GPU time.
    res.on("close", () => {
      if (res.writableFinished || settled) return;
      settled = true;
      clearTimeout(timer);
      upstream.destroy();
      args.finish(499, "client_closed");
      resolve();
    });

    upstream.on("error", (err: NodeJS.ErrnoException) => {
      if (settled) return;
      deps.log(`upstream ${target} failed`, err);
      fail(
        new ProxyError(
          502,
          "upstream_unreachable",
          `Cannot reach the model server of ${target} (${err.code ?? err.message})`,
        ),
      );
    });

    upstream.on("response", (up) => {
      if (settled) return void up.destroy();
      const status = up.statusCode ?? 502;
      if (status >= 400) {
        clearTimeout(timer);
        return void readLimited(up, MAX_ERROR_BODY_BYTES).then(
          (text) => fail(mapUpstreamError(status, text, target, up.headers["retry-after"])),
          () => fail(new ProxyError(502, "upstream_error", `The model server of ${target} failed with HTTP ${status}`)),
        );
      }

      const isStream = String(up.headers["content-type"] ?? "").startsWith("text/event-stream");
      const sniffer = new UsageSniffer(startedAt, isStream, args.recordContent && args.usage !== null);
      res.writeHead(status, isStream ? STREAM_HEADERS : JSON_HEADERS);
      res.flushHeaders();
      // From here on a stall means the idle timeout. Chunks only note their arrival time; the timer
      // re-arms itself for the remainder, instead of being re-armed by each of hundreds of tokens.
      clearTimeout(timer);
      let lastChunkAt = Date.now();
      const onIdle = () => {
        if (settled) return;
        const quietFor = Date.now() - lastChunkAt;
        if (quietFor < idleTimeoutMs) return void (idle = setTimeout(onIdle, idleTimeoutMs - quietFor));
        settled = true;
        up.destroy();
        upstream.destroy();
        endWithStreamError(
          res,
          isStream,
          "upstream_timeout",
          `The model server of ${target} stopped sending for ${idleTimeoutMs / 1000}s`,
        );
        recordSniffed(args, 504, "upstream_timeout", sniffer);
        resolve();
      };
      let idle = setTimeout(onIdle, idleTimeoutMs);

      up.on("data", (chunk: Buffer) => {
        lastChunkAt = Date.now();
        sniffer.onChunk(chunk, lastChunkAt);
        res.write(chunk);
      });
      up.on("end", () => {
        clearTimeout(idle);
        if (settled) return;
        settled = true;
        res.end();
        recordSniffed(args, status, null, sniffer);
        resolve();
      });
      // Errors surface as a close before completion below.
      up.on("error", () => undefined);
      up.on("close", () => {
        clearTimeout(idle);
        if (settled || up.complete) return;
        settled = true;
        endWithStreamError(
          res,
          isStream,
          "upstream_error",
          `The model server of ${target} closed the connection mid-answer`,
        );
        recordSniffed(args, 502, "upstream_error", sniffer);
        resolve();
      });
    });

    upstream.end(body ?? undefined);
  });
}

function recordSniffed(args: ForwardArgs, status: number, errorCode: string | null, sniffer: UsageSniffer) {
  const sniffed = sniffer.finish();
  const usage = args.usage;
  if (usage) {
    usage.ttftMs = sniffed.ttftMs;
    usage.promptTokens = sniffed.promptTokens;
    usage.completionTokens = sniffed.completionTokens;
    usage.usageEstimated = sniffed.estimated;
    usage.responseText = sniffed.responseText;
  }
  args.finish(status, errorCode);
}

/** After a 200 the status cannot change: an SSE stream ends with an OpenAI-style error event instead. */
function endWithStreamError(res: ServerResponse, isStream: boolean, code: string, message: string) {
  if (!isStream || res.writableEnded) return void res.destroy();
  res.end(`data: ${JSON.stringify({ error: { message, type: code, code } })}\n\n`);
}

function mapUpstreamError(status: number, text: string, target: string, retryAfter?: string): ProxyError {
  // In apiserver-proxy mode the apiserver answers for itself with a Kubernetes Status (RBAC, its
  // anti-SSRF check, no endpoints); the model server never speaks that shape. Say who refused.
  const refusal = apiserverRefusal(text);
  if (refusal !== undefined)
    return new ProxyError(
      status >= 500 ? 502 : status,
      "apiserver_refused",
      `The Kubernetes API server refused to proxy to the model server of ${target} (HTTP ${status}${refusal})`,
    );
  const detail = upstreamMessage(text);
  if (status === 429)
    return new ProxyError(
      429,
      "upstream_overloaded",
      `The model server of ${target} is busy (its queue is full); retry shortly`,
      {
        "retry-after": retryAfter && /^\d+$/.test(retryAfter) ? retryAfter : "1",
      },
    );
  if (status >= 500)
    return new ProxyError(
      502,
      "upstream_error",
      `The model server of ${target} failed (HTTP ${status})${detail ? `: ${detail}` : ""}`,
    );
  return new ProxyError(
    status,
    "upstream_rejected",
    detail || `The model server of ${target} rejected the request (HTTP ${status})`,
  );
}

/** ": reason: message" of a Kubernetes Status body, undefined for any other body. */
function apiserverRefusal(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { kind?: unknown; apiVersion?: unknown; reason?: unknown; message?: unknown };
    if (body.kind !== "Status" || body.apiVersion !== "v1") return undefined;
    return [body.reason, body.message]
      .filter((part): part is string => typeof part === "string" && part !== "")
      .map((part) => `: ${part.slice(0, 300)}`)
      .join("");
  } catch {
    return undefined;
  }
}

function upstreamMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; detail?: unknown; error?: { message?: unknown } };
    const message = body.error?.message ?? body.message ?? body.detail;
    if (typeof message === "string") return message.slice(0, 500);
  } catch {
    // not JSON: fall through to the generic message
  }
  return "";
}

type ParsedRequest = { model: string | null; stream: boolean; promptText: string | null };

function parseRequest(body: Buffer, wantPrompt: boolean): ParsedRequest {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw new ProxyError(400, "invalid_json", "The request body must be JSON");
  }
  if (!json || typeof json !== "object" || Array.isArray(json))
    throw new ProxyError(400, "invalid_json", "The request body must be a JSON object");
  const value = json as { model?: unknown; stream?: unknown; messages?: unknown; prompt?: unknown };
  const promptText = !wantPrompt
    ? null
    : typeof value.prompt === "string"
      ? value.prompt
      : Array.isArray(value.messages)
        ? JSON.stringify(value.messages)
        : null;
  return { model: typeof value.model === "string" ? value.model : null, stream: value.stream === true, promptText };
}

// Plain events rather than `for await`: the async iterator costs extra turns of the event loop
// before the upstream request can start, which shows up in time to first token under load.
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit)
    return Promise.reject(new ProxyError(413, "body_too_large", `The request body is larger than ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new ProxyError(413, "body_too_large", `The request body is larger than ${limit} bytes`));
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function readLimited(stream: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk);
      size += chunk.length;
    });
    stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8").slice(0, limit)));
    stream.on("error", reject);
    stream.on("aborted", () => reject(new Error("aborted")));
  });
}

/** A ready Workspace for the playground; `inferenceSet` names the set it is a replica of, so sets can be offered too. */
function describeWorkspace(ws: InferenceWorkspace) {
  return {
    namespace: ws.metadata.namespace,
    name: ws.metadata.name,
    preset: ws.inference?.preset?.name ?? null,
    adapters: (ws.inference?.adapters ?? []).map((a) => a.source?.name).filter(Boolean),
    inferenceSet: ws.metadata.labels?.[LABEL_CREATED_BY_INFERENCESET] ?? null,
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SAFE_RESPONSE_HEADERS,
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: ProxyError) {
  sendJson(res, error.status, { error: { message: error.message, type: error.code, code: error.code } }, error.headers);
}
