import "server-only";

/** next-auth's session cookie: `__Secure-` prefixed when the site is served over https. */
export const SESSION_COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

/** Parses a Cookie header; next-auth splits big tokens into `<name>.0`, `<name>.1`, … chunks. */
export function readSessionCookie(cookieHeader: string | undefined): { name: string; value: string } | null {
  if (!cookieHeader) return null;
  const cookies = new Map<string, string>();
  for (const part of cookieHeader.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    const key = part.slice(0, index).trim();
    try {
      cookies.set(key, decodeURIComponent(part.slice(index + 1).trim()));
    } catch {
      // A malformed cookie is ignored rather than failing the whole request.
    }
  }
  for (const name of SESSION_COOKIE_NAMES) {
    const whole = cookies.get(name);
    if (whole) return { name, value: whole };
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    if (chunks.length > 0) return { name, value: chunks.join("") };
  }
  return null;
}
