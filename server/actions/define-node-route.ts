import "server-only";

import type { IncomingMessage, ServerResponse } from "node:http";

import { ACCESS_META, type AccessMeta } from "./audit-details";
import { runRoute, type RequestHeaders, type RouteContext, type RouteDefinition } from "./request-pipeline";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type NodeRouteHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<void>) & {
  [ACCESS_META]: AccessMeta;
  /** True when server/web-server.ts should hand this request to the route instead of to Next. */
  matches(req: IncomingMessage): boolean;
};

/**
 * A route served by node:http before Next.js sees the request (server/web-server.ts), for bodies
 * that must stream with node's own backpressure. It runs the same request pipeline as defineRoute
 * (server/actions/request-pipeline.ts); the handler reads `req` itself and answers with a Response,
 * which is small (JSON) by construction. The authorization matrix finds these exports as it finds
 * app/**\/route.ts.
 */
export function defineNodeRoute(
  definition: RouteDefinition<Record<string, never>> & { method: Method; path: string },
  handler: (req: IncomingMessage, ctx: RouteContext<Record<string, never>>) => Promise<Response> | Response,
): NodeRouteHandler {
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const response = await runRoute(
      definition,
      { method: req.method ?? "GET", url: req.url ?? definition.path, headers: nodeHeaders(req), params: () => ({}) },
      (ctx) => handler(req, ctx),
    );
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...Object.fromEntries(response.headers),
      "content-length": String(body.length),
    };
    // Refused before the body was read: close rather than read the rest of a multi-GiB body.
    if (!req.complete) headers.connection = "close";
    res.writeHead(response.status, headers);
    res.end(body);
  };
  return Object.assign(route, {
    matches: (req: IncomingMessage) => req.method === definition.method && req.url?.split("?")[0] === definition.path,
    [ACCESS_META]: { kind: "route", access: definition.permission, action: definition.action } as AccessMeta,
  });
}

/** `IncomingMessage.headers` as the pipeline reads them; repeated headers join as fetch's do. */
export function nodeHeaders(req: IncomingMessage): RequestHeaders {
  return {
    get(name) {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(", ") : (value ?? null);
    },
  };
}
