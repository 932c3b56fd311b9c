import "server-only";

// Only for resolving relative URLs: a reserved name that can never be a real site.
const PLACEHOLDER_ORIGIN = "http://callback.invalid";

/**
 * Where to go after sign-in, as a path on this site. The URL is resolved the way a browser
 * would (so `/\evil.example`, `//evil.example` or `https:evil.example` cannot slip through a
 * prefix check) and accepted only when it stays on `origin` — this site as the request named it —
 * or is relative. Anything else is "/": an open redirect after sign-in hands the fresh session's
 * user to a phishing page.
 */
export function resolveCallbackPath(raw: string | null | undefined, origin?: string): string {
  if (!raw) return "/";
  let url: URL;
  try {
    url = new URL(raw, PLACEHOLDER_ORIGIN);
  } catch {
    return "/";
  }
  const sameSite = url.origin === PLACEHOLDER_ORIGIN || (origin !== undefined && url.origin === origin);
  if (!sameSite) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Sign-in must not send people back to sign-in or to next-auth's own endpoints.
  return path.startsWith("/login") || path.startsWith("/api/auth") ? "/" : path;
}
