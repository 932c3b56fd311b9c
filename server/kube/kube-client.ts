import "server-only";

import http from "node:http";
import https from "node:https";

import type { KubeConfig } from "@kubernetes/client-node";

/** A failed apiserver call, with the Status `reason` (NotFound, AlreadyExists, Conflict, Gone, …). */
export class KubeApiError extends Error {
  override name = "KubeApiError";
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export const isNotFound = (e: unknown) => e instanceof KubeApiError && e.statusCode === 404;
export const isAlreadyExists = (e: unknown) =>
  e instanceof KubeApiError && e.statusCode === 409 && e.reason === "AlreadyExists";
export const isConflict = (e: unknown) => e instanceof KubeApiError && e.statusCode === 409;

export type KubeRequest = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
};

export type WatchEvent = {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: Record<string, unknown>;
};

export type KubeClient = {
  request<T = unknown>(req: KubeRequest): Promise<T>;
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
export async function createKubeClient(kc: KubeConfig, observe?: RequestObserver): Promise<KubeClient> {
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
  const headers = { ...(base.headers as Record<string, string> | undefined) };

  function open(
    method: string,
    url: URL,
    body: string | undefined,
    contentType: string | undefined,
    signal?: AbortSignal,
  ) {
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method,
          agent: signal ? watchAgent : agent,
          ca: base.ca,
          cert: base.cert,
          key: base.key,
          rejectUnauthorized: base.rejectUnauthorized,
          headers: {
            ...headers,
            Accept: "application/json",
            ...(body !== undefined
              ? { "Content-Type": contentType ?? "application/json", "Content-Length": Buffer.byteLength(body) }
              : {}),
          },
          signal,
        },
        resolve,
      );
      req.on("error", reject);
      if (signal) req.on("socket", (socket) => socket.setKeepAlive(true, 30_000));
      req.end(body);
    });
  }

  async function readBody(res: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  function toError(statusCode: number, text: string): KubeApiError {
    try {
      const status = JSON.parse(text) as { reason?: string; message?: string };
      return new KubeApiError(statusCode, status.reason ?? "Unknown", status.message ?? text);
    } catch {
      return new KubeApiError(statusCode, "Unknown", text.slice(0, 500));
    }
  }

  return {
    async request<T>(req: KubeRequest): Promise<T> {
      const body = req.body === undefined ? undefined : JSON.stringify(req.body);
      const res = await open(req.method, buildUrl(server, req.path, req.query), body, req.contentType);
      const text = await readBody(res);
      const code = res.statusCode ?? 0;
      observe?.(req.method, req.path, code);
      if (code >= 400) throw toError(code, text);
      return (text ? JSON.parse(text) : undefined) as T;
    },

    async watch(path, query, onEvent, signal) {
      const res = await open(
        "GET",
        buildUrl(server, path, { ...query, watch: true, allowWatchBookmarks: true }),
        undefined,
        undefined,
        signal,
      );
      observe?.("WATCH", path, res.statusCode ?? 0);
      if ((res.statusCode ?? 0) >= 400) throw toError(res.statusCode ?? 0, await readBody(res));
      let buffered = "";
      await new Promise<void>((resolve, reject) => {
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
    },
  };
}
