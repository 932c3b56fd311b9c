import "server-only";

import http from "node:http";
import https from "node:https";

import type { KubeConfig } from "@kubernetes/client-node";

/** One `details.causes` entry of a Status: the field a validation rule or admission refused. */
export type StatusCause = { field?: string; message?: string; reason?: string };

/**
 * The one error type of every apiserver call: the HTTP code, the Status `reason` (NotFound,
 * AlreadyExists, Conflict, Forbidden, Gone, …), the apiserver's own message and, for a refused
 * object, its causes. server/kube/map-kube-error.ts turns it into what a user sees.
 */
export class KubeApiError extends Error {
  override name = "KubeApiError";
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    message: string,
    readonly causes: StatusCause[] = [],
  ) {
    super(message);
  }
}

export const isNotFound = (e: unknown) => e instanceof KubeApiError && e.statusCode === 404;
export const isAlreadyExists = (e: unknown) =>
  e instanceof KubeApiError && e.statusCode === 409 && e.reason === "AlreadyExists";
export const isConflict = (e: unknown) => e instanceof KubeApiError && e.statusCode === 409;

/**
 * Who a request acts as. Without one it runs as the process's own credentials (the controller,
 * the web's shared watch cache); with one the apiserver authorizes and audits it as that user,
 * the way `kubectl --as --as-group` does.
 */
export type KubeIdentity = { user: string; groups: readonly string[] };

export type KubeRequest = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  as?: KubeIdentity;
  /** Whole-request deadline (connect, headers and body); defaults to the client's. */
  timeoutMs?: number;
  /** "text" for the few plain-text endpoints (a pod's log); JSON otherwise. */
  responseType?: "json" | "text";
};

export type WatchEvent = {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: Record<string, unknown>;
};

export type KubeClient = {
  request<T = unknown>(req: KubeRequest): Promise<T>;
  /** The same client, every request of which acts as `identity` (see KubeIdentity). */
  as(identity: KubeIdentity): Pick<KubeClient, "request">;
  /**
   * Streams watch events until the server closes the watch (timeoutSeconds), the signal aborts,
   * or the connection fails; resolves on a clean end, rejects otherwise.
   */
  watch(
    path: string,
    query: KubeRequest["query"],
    onEvent: (e: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void>;
};

/** Called for every apiserver request, to count them by verb (metrics, benchmark write counts). */
export type RequestObserver = (verb: string, path: string, statusCode: number) => void;

export type KubeClientOptions = {
  observe?: RequestObserver;
  /** Deadline of a request that sets none (default 30 s); a watch may stay open its timeoutSeconds plus this. */
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 30_000;
// client-go re-reads a token file once a minute: the kubelet rotates projected ServiceAccount
// tokens, and exec plugins hand out short-lived ones.
const CREDENTIAL_REFRESH_MS = 60_000;

/**
 * The impersonation headers: one Impersonate-User and one Impersonate-Group per group (the
 * apiserver reads the repeated header as a list). The apiserver adds `system:authenticated`
 * itself. See https://kubernetes.io/docs/reference/access-authn-authz/user-impersonation/
 */
export function impersonationHeaders(identity: KubeIdentity | undefined): Record<string, string | string[]> {
  if (!identity) return {};
  return identity.groups.length > 0
    ? { "Impersonate-User": identity.user, "Impersonate-Group": [...identity.groups] }
    : { "Impersonate-User": identity.user };
}

export class KubeTimeoutError extends KubeApiError {
  override name = "KubeTimeoutError";
  constructor(method: string, path: string, ms: number) {
    super(504, "Timeout", `${method} ${path}: the apiserver did not answer within ${ms / 1000} s`);
  }
}

function buildUrl(server: string, path: string, query: KubeRequest["query"]): URL {
  const url = new URL(server.replace(/\/$/, "") + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

/**
 * A small JSON client over node:http(s) with the kubeconfig's credentials and a keep-alive
 * agent. The generated API classes of @kubernetes/client-node cover core kinds only one at a
 * time; the controller needs CRDs, status subresources and server-side apply on one path.
 */
export async function createKubeClient(kc: KubeConfig, options: KubeClientOptions = {}): Promise<KubeClient> {
  const { observe, timeoutMs: defaultTimeoutMs = DEFAULT_TIMEOUT_MS } = options;
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("The kubeconfig has no current cluster");
  const server = cluster.server;
  const isHttps = server.startsWith("https:");
  const base: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(base);
  const agent = isHttps
    ? new https.Agent({
        keepAlive: true,
        maxSockets: 64,
        ca: base.ca,
        cert: base.cert,
        key: base.key,
        rejectUnauthorized: base.rejectUnauthorized,
      })
    : new http.Agent({ keepAlive: true, maxSockets: 64 });
  // Watches get their own agent: no pooling (each is one long response) and no idle timeout
  // inherited from Node's global agent; TCP keep-alive probes detect a dead peer instead.
  const watchAgent = isHttps
    ? new https.Agent({
        keepAlive: false,
        maxSockets: Infinity,
        ca: base.ca,
        cert: base.cert,
        key: base.key,
        rejectUnauthorized: base.rejectUnauthorized,
      })
    : new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const transport = isHttps ? https : http;
  let headers = { ...(base.headers as Record<string, string> | undefined) };
  let credentialsReadAt = Date.now();
  const rotates = Boolean(kc.getCurrentUser()?.authProvider || kc.getCurrentUser()?.exec);

  async function currentHeaders(): Promise<Record<string, string>> {
    if (rotates && Date.now() - credentialsReadAt > CREDENTIAL_REFRESH_MS) {
      credentialsReadAt = Date.now();
      const fresh: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(fresh);
      headers = { ...(fresh.headers as Record<string, string> | undefined) };
    }
    return headers;
  }

  async function open(
    method: string,
    url: URL,
    body: string | undefined,
    extra: { contentType?: string; as?: KubeIdentity; signal: AbortSignal; watch?: boolean },
  ) {
    const credentials = await currentHeaders();
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method,
          agent: extra.watch ? watchAgent : agent,
          ca: base.ca,
          cert: base.cert,
          key: base.key,
          rejectUnauthorized: base.rejectUnauthorized,
          headers: {
            ...credentials,
            ...impersonationHeaders(extra.as),
            Accept: "application/json",
            ...(body !== undefined
              ? {
                  "Content-Type": extra.contentType ?? "application/json",
                  "Content-Length": Buffer.byteLength(body),
                }
              : {}),
          },
          signal: extra.signal,
        },
        resolve,
      );
      req.on("error", reject);
      if (extra.watch) req.on("socket", (socket) => socket.setKeepAlive(true, 30_000));
      req.end(body);
    });
  }

  /** An AbortSignal that fires at the deadline, and a way to tell a timeout from the caller's abort. */
  function deadline(ms: number, outer?: AbortSignal) {
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(), ms);
    const signal = outer ? AbortSignal.any([outer, timer.signal]) : timer.signal;
    return { signal, timedOut: () => timer.signal.aborted, clear: () => clearTimeout(handle) };
  }

  async function readBody(res: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  function toError(statusCode: number, text: string): KubeApiError {
    try {
      const status = JSON.parse(text) as { reason?: string; message?: string; details?: { causes?: StatusCause[] } };
      return new KubeApiError(
        statusCode,
        status.reason ?? "Unknown",
        status.message ?? text,
        status.details?.causes ?? [],
      );
    } catch {
      return new KubeApiError(statusCode, "Unknown", text.slice(0, 500));
    }
  }

  async function request<T>(req: KubeRequest): Promise<T> {
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const ms = req.timeoutMs ?? defaultTimeoutMs;
    const limit = deadline(ms);
    let res: http.IncomingMessage;
    let text: string;
    try {
      res = await open(req.method, buildUrl(server, req.path, req.query), body, {
        contentType: req.contentType,
        as: req.as,
        signal: limit.signal,
      });
      text = await readBody(res);
    } catch (error) {
      if (limit.timedOut()) throw new KubeTimeoutError(req.method, req.path, ms);
      throw error;
    } finally {
      limit.clear();
    }
    const code = res.statusCode ?? 0;
    observe?.(req.method, req.path, code);
    if (code >= 400) throw toError(code, text);
    if (req.responseType === "text") return text as T;
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    request,
    as: (identity) => ({ request: (req) => request({ ...req, as: identity }) }),

    async watch(path, query, onEvent, signal) {
      // The apiserver ends a watch after timeoutSeconds; a stream still open well after that
      // is a dead connection the TCP probes missed, so it is cut here.
      const serverSeconds = Number(query?.timeoutSeconds ?? 0);
      const ms = serverSeconds > 0 ? serverSeconds * 1000 + defaultTimeoutMs : 0;
      const limit = ms > 0 ? deadline(ms, signal) : undefined;
      let res: http.IncomingMessage;
      try {
        res = await open(
          "GET",
          buildUrl(server, path, { ...query, watch: true, allowWatchBookmarks: true }),
          undefined,
          {
            signal: limit?.signal ?? signal,
            watch: true,
          },
        );
      } catch (error) {
        limit?.clear();
        if (limit?.timedOut()) throw new KubeTimeoutError("WATCH", path, ms);
        throw error;
      }
      observe?.("WATCH", path, res.statusCode ?? 0);
      if ((res.statusCode ?? 0) >= 400) {
        limit?.clear();
        throw toError(res.statusCode ?? 0, await readBody(res));
      }
      let buffered = "";
      const streamed = new Promise<void>((resolve, reject) => {
        let failed = false;
        const deliver = (line: string): boolean => {
          if (!line || failed) return !failed;
          try {
            onEvent(JSON.parse(line) as WatchEvent);
            return true;
          } catch (error) {
            // An ERROR event (410 Gone) or a handler failure ends this watch; the caller decides what next.
            failed = true;
            res.destroy();
            reject(error);
            return false;
          }
        };
        // The apiserver may close the stream right after its last event without a newline (a
        // restarted apiserver answers an old resourceVersion with one 410 ERROR event and
        // hangs up): that event must still be seen, or the caller retries the same
        // resourceVersion forever instead of listing again.
        const flush = () => {
          const rest = buffered.trim();
          buffered = "";
          return deliver(rest);
        };
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffered += chunk;
          let newline: number;
          while ((newline = buffered.indexOf("\n")) >= 0) {
            const line = buffered.slice(0, newline).trim();
            buffered = buffered.slice(newline + 1);
            if (!deliver(line)) return;
          }
        });
        res.on("end", () => {
          if (flush()) resolve();
        });
        res.on("error", (error) => {
          if (flush()) reject(error);
        });
        res.on("aborted", () => {
          if (flush()) reject(new Error("watch connection aborted"));
        });
      });
      try {
        await streamed;
      } catch (error) {
        if (limit?.timedOut()) throw new KubeTimeoutError("WATCH", path, ms);
        throw error;
      } finally {
        limit?.clear();
      }
    },
  };
}
