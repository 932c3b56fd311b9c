import "server-only";

import { decode } from "next-auth/jwt";

import { getDb } from "@/server/db/client";
import { findTokenPrincipal, type TokenSurface } from "@/server/tokens/find-token-principal";

import { authConfig } from "./config";
import type { Principal } from "./principal";
import { readSessionCookie } from "./session-cookie";

export type CredentialHeaders = { cookie?: string | null; authorization?: string | null };

/**
 * Who sent a request, from its Cookie and Authorization headers alone, so plain node:http
 * servers (the inference fast path) authenticate exactly like Next.js routes. A bearer token
 * wins over a cookie; an invalid bearer token is an anonymous caller, never a fallback to the cookie.
 * The role is always the user's current one from the database, so demotions apply at once, and a
 * session whose version is older than the user's (server/auth/end-sessions.ts) is over.
 *
 * `surface` is what the request is for (see TokenSurface): a token whose scope does not cover
 * it, and an expired or revoked token, throw an AppError saying so (401/403).
 */
export async function authenticateHeaders(
  headers: CredentialHeaders,
  surface: TokenSurface = "api",
): Promise<Principal | null> {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match ? findTokenPrincipal(match[1], surface) : null;
  }
  const cookie = readSessionCookie(headers.cookie ?? undefined);
  if (!cookie) return null;
  const session = await readSession(cookie.name, cookie.value);
  if (!session) return null;
  const db = await getDb();
  const user = await db.user.findUnique({ where: { id: session.uid } });
  if (!user || user.disabled || user.sessionVersion !== session.version) return null;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    externalId: user.externalId,
    oidcGroups: user.oidcGroups,
  };
}

async function readSession(salt: string, token: string): Promise<{ uid: string; version: number } | null> {
  try {
    const payload = await decode({ token, secret: authConfig().secret, salt });
    const expired = typeof payload?.exp === "number" && payload.exp * 1000 < Date.now();
    const uid = payload?.uid;
    // Cookies issued before session versions existed carry none: they count as version 0.
    const version = typeof payload?.sv === "number" ? payload.sv : 0;
    return !expired && typeof uid === "string" ? { uid, version } : null;
  } catch {
    // Tampered, expired or signed with another secret: the caller is anonymous.
    return null;
  }
}
