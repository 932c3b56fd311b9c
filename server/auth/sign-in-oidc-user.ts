import "server-only";

import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { currentRequestContext } from "@/server/audit/request-context";
import { getDb } from "@/server/db/client";

import type { AuthConfig } from "./config";
import { endAllSessions } from "./end-sessions";
import { mapOidcRole, oidcGroupsOf } from "./map-oidc-role";

type Profile = Record<string, unknown>;

function externalId(profile: Profile, config: AuthConfig): string {
  return `${config.OIDC_ISSUER}|${String(profile.sub)}`;
}

/**
 * Admits an OpenID Connect identity: maps its claims to a role (refusing it when no role
 * applies), creates or updates the matching user — the provider is the source of truth for the
 * role, so it is re-applied on every sign-in — and audits the attempt. An existing local
 * account is linked by email only when the provider says the email is verified.
 */
export async function signInOidcUser(profile: Profile, config: AuthConfig): Promise<boolean> {
  const context = await currentRequestContext();
  const email = typeof profile.email === "string" ? profile.email.toLowerCase() : null;
  const audit = (outcome: "succeeded" | "denied", summary: string, userId?: string, diff?: unknown) =>
    recordAuditEvent({
      action: "auth.login",
      outcome,
      summary,
      actor: { email, userId: userId ?? null },
      target: { kind: "User", name: email },
      diff,
      context,
    });

  if (typeof profile.sub !== "string" || !email) {
    await audit("denied", "OIDC sign-in without a subject or email claim");
    return false;
  }
  const role = mapOidcRole(profile, config);
  if (!role) {
    await audit("denied", `OIDC sign-in refused: no role for claim ${config.OIDC_ROLE_CLAIM}`);
    return false;
  }

  const db = await getDb();
  const id = externalId(profile, config);
  let user = await db.user.findUnique({ where: { externalId: id } });
  if (!user) {
    const byEmail = await db.user.findUnique({ where: { email } });
    if (byEmail && (byEmail.externalId || profile.email_verified !== true)) {
      await audit("denied", "OIDC sign-in refused: the email belongs to another account", byEmail.id);
      return false;
    }
    user = byEmail;
  }
  if (user?.disabled) {
    await audit("denied", "OIDC sign-in to a disabled account", user.id);
    return false;
  }
  const name =
    typeof profile.name === "string"
      ? profile.name.slice(0, 200)
      : typeof profile.preferred_username === "string"
        ? profile.preferred_username.slice(0, 200)
        : null;
  const oidcGroups = oidcGroupsOf(profile, config);
  const saved = await db.$transaction(async (tx) => {
    if (!user)
      return tx.user.create({ data: { email, name, role, externalId: id, oidcGroups, lastLoginAt: new Date() } });
    // The provider changed the user's role: sessions and tokens issued under the old one end.
    if (user.role !== role) await endAllSessions(tx, user.id);
    return tx.user.update({
      where: { id: user.id },
      data: { externalId: id, role, oidcGroups, name: name ?? user.name, lastLoginAt: new Date() },
    });
  });
  await audit(
    "succeeded",
    user ? "Signed in with OIDC" : "Signed in with OIDC (new account)",
    saved.id,
    changesOf(user, role, oidcGroups),
  );
  return true;
}

/** What a sign-in changed on an existing account, for the audit event. */
function changesOf(
  user: { role: string; oidcGroups: string[] } | null,
  role: string,
  oidcGroups: string[],
): Record<string, [unknown, unknown]> | undefined {
  if (!user) return undefined;
  const changes: Record<string, [unknown, unknown]> = {};
  if (user.role !== role) changes.role = [user.role, role];
  if (user.oidcGroups.join("\n") !== oidcGroups.join("\n")) changes.oidcGroups = [user.oidcGroups, oidcGroups];
  return Object.keys(changes).length > 0 ? changes : undefined;
}

export async function findOidcUser(
  profile: Profile,
  config: AuthConfig,
): Promise<{ id: string; sessionVersion: number } | null> {
  const db = await getDb();
  return db.user.findUnique({
    where: { externalId: externalId(profile, config) },
    select: { id: true, sessionVersion: true },
  });
}
