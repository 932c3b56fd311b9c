import "server-only";

import type { Principal } from "@/server/auth/principal";
import { getDb } from "@/server/db/client";

import { hashApiToken, looksLikeApiToken } from "./api-token";

// Writing lastUsedAt on every call would turn each API read into a write; a minute is precise enough.
const LAST_USED_RESOLUTION_MS = 60_000;

/** The principal a bearer token acts as: its owner's current role, or null if unusable. */
export async function findTokenPrincipal(token: string, now = new Date()): Promise<Principal | null> {
  if (!looksLikeApiToken(token)) return null;
  const db = await getDb();
  const row = await db.apiToken.findUnique({ where: { hash: hashApiToken(token) }, include: { user: true } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || row.user.disabled) return null;
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
  };
}
