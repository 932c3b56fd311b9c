import { NextResponse, type NextRequest } from "next/server";

const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];

/**
 * Every response gets the security headers and a request id (the audit trail records it).
 * Pages without a session cookie go to the sign-in page; this is only a shortcut — every page,
 * action and route still authenticates and authorizes on its own.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce);
  const requestId = crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  headers.set("x-nonce", nonce);
  // Next.js reads the nonce from this request header and puts it on its own inline scripts.
  headers.set("content-security-policy", csp);

  const { pathname, search } = request.nextUrl;
  const isPage = !pathname.startsWith("/api/") && pathname !== "/login";
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name) || request.cookies.has(`${name}.0`));
  const response =
    isPage && !hasSession
      ? NextResponse.redirect(new URL(`/login?callbackUrl=${encodeURIComponent(pathname + search)}`, request.url))
      : NextResponse.next({ request: { headers } });

  response.headers.set("content-security-policy", csp);
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("referrer-policy", "strict-origin-when-cross-origin");
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("permissions-policy", "camera=(), microphone=(), geolocation=()");
  response.headers.set("cross-origin-opener-policy", "same-origin");
  response.headers.set("x-request-id", requestId);
  if (request.nextUrl.protocol === "https:")
    response.headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
  return response;
}

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Monaco and Next inject style elements at runtime.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

export const config = {
  // The adapter upload (POST /api/adapters) stays out: Next buffers the body of every request the
  // proxy sees and cuts it at 10 MB, while uploads stream up to ADAPTER_MAX_BYTES to disk. The
  // files of public/ stay out too: without a session they would be redirected to the sign-in page.
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|robots.txt|api/adapters$).*)" }],
};
