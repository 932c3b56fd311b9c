import "server-only";

import { randomUUID } from "node:crypto";

import type { RequestContext } from "./audit-event";

type HeaderBag = { get(name: string): string | null };

/** Request id, client IP and user agent from request headers (proxy.ts sets x-request-id). */
export function requestContextFromHeaders(headers: HeaderBag): RequestContext {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const requestId = headers.get("x-request-id");
  return {
    requestId: requestId && /^[\w-]{1,64}$/.test(requestId) ? requestId : randomUUID(),
    ip: forwarded || headers.get("x-real-ip") || null,
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
