import "server-only";

import { createHash, randomBytes } from "node:crypto";

/** Personal API tokens look like `kd_<43 base64url chars>`; the prefix makes leaked ones greppable. */
export const TOKEN_PREFIX = "kd_";
const TOKEN_PATTERN = /^kd_[A-Za-z0-9_-]{43}$/;
/** Characters of the token kept in clear so people can tell their tokens apart. */
const VISIBLE_CHARS = 11;

export function generateApiToken(): { token: string; prefix: string; hash: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, prefix: token.slice(0, VISIBLE_CHARS), hash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function looksLikeApiToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}
