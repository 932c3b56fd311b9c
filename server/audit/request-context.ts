import "server-only";

import { randomUUID } from "node:crypto";

import { CLIENT_IP_HEADER } from "@/server/auth/client-ip";

import type { RequestContext } from "./audit-event";

type HeaderBag = { get(name: string): string | null };

/**
 * Request id, client IP and user agent from request headers (proxy.ts sets x-request-id). The IP
 * is the one the web server resolved from trusted proxy hops (server/auth/client-ip.ts), never
 * X-Forwarded-For as the client sent it.
 */
export function requestContextFromHeaders(headers: HeaderBag): RequestContext {
  const requestId = headers.get("x-request-id");
  return {
    requestId: requestId && /^[\w-]{1,64}$/.test(requestId) ? requestId : randomUUID(),
    ip: headers.get(CLIENT_IP_HEADER),
    userAgent: headers.get("user-agent"),
  };
}

/** The current request's context inside server actions and server components. */
export async function currentRequestContext(): Promise<RequestContext> {
  try {
    const { headers } = await import("next/headers");
    return requestContextFromHeaders(await headers());
  } catch {
    // Outside a Next.js request (worker, scripts): no request to describe.
    return { requestId: randomUUID(), ip: null, userAgent: null };
  }
}
