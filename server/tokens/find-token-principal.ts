import "server-only";

import type { Principal } from "@/server/auth/principal";
import { getDb } from "@/server/db/client";
import { AppError } from "@/server/errors";

import { hashApiToken, looksLikeApiToken } from "./api-token";

// Writing lastUsedAt on every call would turn each API read into a write; a minute is precise enough.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * What a request is for: `inference` is the chat proxy and the OpenAI-compatible API under
 * /api/inference; `api` is everything else (routes, uploads, server actions).
 */
export type TokenSurface = "inference" | "api";

/**
 * The principal a bearer token acts as: its owner's current role, or null for a token that
 * does not exist or whose owner is disabled. A token that cannot be used here throws an AppError
 * that says why — expired, revoked, or a scope that does not cover `surface` — so the
 * caller learns what to fix instead of a bare 401.
 */
export async function findTokenPrincipal(
  token: string,
  surface: TokenSurface = "api",
  now = new Date(),
): Promise<Principal | null> {
  if (!looksLikeApiToken(token)) return null;
  const db = await getDb();
  const row = await db.apiToken.findUnique({ where: { hash: hashApiToken(token) }, include: { user: true } });
  if (!row) return null;
  const label = `API token ${row.prefix}…`;
  if (row.revokedAt)
    throw new AppError("unauthenticated", `${label} was revoked on ${row.revokedAt.toISOString()}; create a new one.`);
  if (row.expiresAt <= now)
    throw new AppError("unauthenticated", `${label} expired on ${row.expiresAt.toISOString()}; create a new one.`);
  // A disabled account's tokens were revoked with it; one that somehow was not is simply unknown.
  if (row.user.disabled) return null;
  if (row.scope === "inference" && surface !== "inference")
    throw new AppError(
      "forbidden",
      `${label} has the scope "inference": it may only call the chat and the OpenAI-compatible API under /api/inference. Create a token with the scope "api" for this.`,
    );
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    userId: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: row.user.role,
    tokenId: row.id,
    externalId: row.user.externalId,
    oidcGroups: row.user.oidcGroups,
    tokenScope: row.scope,
  };
}
