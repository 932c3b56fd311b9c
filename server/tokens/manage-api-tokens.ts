import "server-only";

import { z } from "zod";

import type { ActionContext } from "@/server/actions/define-action";
import { can } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { AppError } from "@/server/errors";

import { generateApiToken } from "./api-token";
import { readTokenPolicy, TOKEN_MAX_DAYS_LIMIT } from "./token-policy";

export const TOKEN_SCOPES = ["inference", "api"] as const;

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, "Give the token a name").max(100, "At most 100 characters"),
  // Required: the upper bound is the admin's policy, checked in createApiToken.
  expiresInDays: z.coerce
    .number({ error: "Choose when the token expires" })
    .int("Whole days")
    .min(1, "At least 1 day")
    .max(TOKEN_MAX_DAYS_LIMIT, `At most ${TOKEN_MAX_DAYS_LIMIT} days`),
  scope: z.enum(TOKEN_SCOPES, { error: "Choose inference or api" }).default("api"),
});
export const revokeTokenSchema = z.object({ tokenId: z.uuid("Unknown token") });

export type TokenView = {
  id: string;
  name: string;
  prefix: string;
  ownerEmail: string;
  expiresAt: string;
  scope: (typeof TOKEN_SCOPES)[number];
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
};

/** The principal's own tokens; admins see everyone's. */
export async function listApiTokens(
  db: Pick<ActionContext["tx"], "apiToken">,
  principal: Principal,
): Promise<TokenView[]> {
  const tokens = await db.apiToken.findMany({
    where: can(principal.role, "admin") ? {} : { userId: principal.userId },
    include: { user: { select: { email: true } } },
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  return tokens.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    ownerEmail: t.user.email,
    expiresAt: t.expiresAt.toISOString(),
    scope: t.scope,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
  }));
}

/** Creates a token for the caller; the clear token is returned this once and never stored. */
export async function createApiToken(
  input: z.infer<typeof createTokenSchema>,
  { tx, principal, audit }: ActionContext,
): Promise<{ token: string; prefix: string }> {
  if (principal.tokenId)
    throw new AppError("forbidden", "API tokens cannot mint further tokens; sign in to the dashboard.");
  const { maxLifetimeDays } = await readTokenPolicy(tx);
  if (input.expiresInDays > maxLifetimeDays)
    throw new AppError("invalid_input", `Tokens may live at most ${maxLifetimeDays} days here (set by an admin).`, {
      fieldErrors: { expiresInDays: [`At most ${maxLifetimeDays} days`] },
    });
  const { token, prefix, hash } = generateApiToken();
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  const created = await tx.apiToken.create({
    data: { userId: principal.userId, name: input.name, prefix, hash, expiresAt, scope: input.scope },
  });
  audit.set({
    summary: `Created ${input.scope} API token "${input.name}" (${prefix}…)`,
    target: { kind: "ApiToken", name: created.id },
    diff: { after: { name: input.name, prefix, scope: input.scope, expiresAt: expiresAt.toISOString() } },
  });
  return { token, prefix };
}

export async function revokeApiToken(
  input: z.infer<typeof revokeTokenSchema>,
  { tx, principal, audit }: ActionContext,
): Promise<void> {
  const token = await tx.apiToken.findUnique({ where: { id: input.tokenId } });
  audit.set({ target: { kind: "ApiToken", name: input.tokenId } });
  if (!token) throw new AppError("not_found", "That token no longer exists.");
  if (token.userId !== principal.userId && !can(principal.role, "admin"))
    throw new AppError("forbidden", "Only its owner or an administrator can revoke this token.");
  if (token.revokedAt) return;
  await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
  audit.set({
    summary: `Revoked API token "${token.name}" (${token.prefix}…)`,
    diff: { revokedAt: [null, new Date().toISOString()] },
  });
}
