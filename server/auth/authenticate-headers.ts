import "server-only";

import { decode } from "next-auth/jwt";

import { getDb } from "@/server/db/client";
import { findTokenPrincipal } from "@/server/tokens/find-token-principal";

import { authConfig } from "./config";
import type { Principal } from "./principal";
import { readSessionCookie } from "./session-cookie";

export type CredentialHeaders = { cookie?: string | null; authorization?: string | null };

/**
 * Who sent a request, from its Cookie and Authorization headers alone, so plain node:http
 * servers (the inference fast path) authenticate exactly like Next.js routes. A bearer token
 * wins over a cookie; an invalid bearer token is an anonymous caller, never a fallback to the cookie.
 * The role is always the user's current one from the database, so demotions apply at once.
 */
export async function authenticateHeaders(headers: CredentialHeaders): Promise<Principal | null> {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match ? findTokenPrincipal(match[1]) : null;
  }
  const cookie = readSessionCookie(headers.cookie ?? undefined);
  if (!cookie) return null;
  const userId = await sessionUserId(cookie.name, cookie.value);
  if (!userId) return null;
  const db = await getDb();
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user || user.disabled) return null;
  return { userId: user.id, email: user.email, name: user.name, role: user.role, externalId: user.externalId };
}

async function sessionUserId(salt: string, token: string): Promise<string | null> {
  try {
    const payload = await decode({ token, secret: authConfig().secret, salt });
    const expired = typeof payload?.exp === "number" && payload.exp * 1000 < Date.now();
    const uid = payload?.uid;
    return !expired && typeof uid === "string" ? uid : null;
  } catch {
    // Tampered, expired or signed with another secret: the caller is anonymous.
    return null;
  }
}
