import "server-only";

import bcrypt from "bcryptjs";
import { z } from "zod";

import type { RequestContext } from "@/server/audit/audit-event";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { getDb } from "@/server/db/client";

import { authConfig, EMAIL_PATTERN, type AuthConfig } from "./config";
import { RateLimiter } from "./rate-limiter";

export const loginSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "Enter your email")
    .max(320, "Too long")
    .regex(EMAIL_PATTERN, "Not an email address"),
  password: z.string().min(1, "Enter your password").max(200, "Too long"),
});

export type LoginOutcome =
  | { ok: true; user: { id: string; email: string; name: string | null; sessionVersion: number } }
  | { ok: false; reason: "invalid" | "locked" | "rate_limited" | "malformed" };

let limiter: RateLimiter | undefined;

/** Test hook: the limiter is built from the configuration on first use. */
export function resetLoginRateLimiter(): void {
  limiter = undefined;
}

// Compared against when the account does not exist, so both paths take a bcrypt's time.
const DUMMY_HASH = bcrypt.hashSync("not-a-real-password", 10);

/**
 * Checks a local email + password and records the attempt (auth.login) in the audit trail.
 * Consecutive failures lock the account for LOGIN_LOCKOUT_MINUTES; the lockout and every
 * refused attempt are audited. Messages to the user never reveal whether the account exists.
 */
export async function verifyLocalLogin(raw: unknown, context: RequestContext): Promise<LoginOutcome> {
  const config = authConfig();
  limiter ??= new RateLimiter(config.LOGIN_RATE_LIMIT_PER_MINUTE, 60_000);
  const parsed = loginSchema.safeParse(raw);
  const email = parsed.success
    ? parsed.data.email
    : typeof (raw as { email?: unknown })?.email === "string"
      ? String((raw as { email: string }).email)
      : null;
  const audit = (outcome: "succeeded" | "denied" | "failed", summary: string, userId?: string) =>
    recordAuditEvent({
      action: "auth.login",
      outcome,
      summary,
      actor: { email: email?.slice(0, 320) ?? null, userId: userId ?? null },
      target: { kind: "User", name: email },
      context,
    });

  if (!limiter.hit(context.ip ?? "unknown")) {
    // Without an actor: past the limiter these are counted per address and minute, not one row each.
    await recordAuditEvent({
      action: "auth.login",
      outcome: "denied",
      summary: `Too many sign-in attempts from ${context.ip ?? "an unknown address"}`,
      actor: null,
      target: { kind: "User" },
      context,
    });
    return { ok: false, reason: "rate_limited" };
  }
  if (!parsed.success) {
    await audit("failed", "Malformed sign-in request");
    return { ok: false, reason: "malformed" };
  }

  const db = await getDb();
  const user = await db.user.findUnique({ where: { email: parsed.data.email } });
  // A locked account is refused before bcrypt runs: a guesser gets no answer about the password
  // and costs the server no hashing while the lock lasts.
  if (user?.lockedUntil && user.lockedUntil > new Date()) {
    await audit("denied", `Sign-in to a locked account (locked until ${user.lockedUntil.toISOString()})`, user.id);
    return { ok: false, reason: "locked" };
  }
  const matches = await bcrypt.compare(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !user.passwordHash) {
    await audit("failed", "Sign-in with an unknown email or an account without a password");
    return { ok: false, reason: "invalid" };
  }
  if (user.disabled) {
    await audit("denied", "Sign-in to a disabled account", user.id);
    return { ok: false, reason: "invalid" };
  }
  if (!matches) return recordFailure(user, config, context);
  const signedIn = await db.$transaction(async (tx) => {
    // Only if no concurrent wrong guess locked the account after the check above.
    const rows = await tx.$queryRaw<Array<{ sessionVersion: number }>>`
      UPDATE "User" SET "failedLogins" = 0, "lockedUntil" = NULL, "lastLoginAt" = now()
      WHERE "id" = ${user.id}::uuid AND ("lockedUntil" IS NULL OR "lockedUntil" <= now())
      RETURNING "sessionVersion"`;
    if (rows.length === 0) return null;
    await recordAuditEvent(
      {
        action: "auth.login",
        outcome: "succeeded",
        summary: "Signed in with password",
        actor: { email: user.email, userId: user.id },
        target: { kind: "User", name: user.email },
        context,
      },
      tx,
    );
    return rows[0].sessionVersion;
  });
  if (signedIn === null) {
    await audit("denied", "Sign-in to an account locked by a concurrent attempt", user.id);
    return { ok: false, reason: "locked" };
  }
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: signedIn } };
}

/**
 * Counts a wrong password in one UPDATE, so concurrent guesses cannot each read the same count
 * and slip past the limit: PostgreSQL serializes the row's updates and the guess that reaches
 * LOGIN_MAX_FAILURES sets the lock. A guess that arrives while locked changes nothing.
 */
async function recordFailure(
  user: { id: string; email: string },
  config: AuthConfig,
  context: RequestContext,
): Promise<LoginOutcome> {
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ failedLogins: number; lockedUntil: Date | null }>>`
      UPDATE "User" SET
        "failedLogins" = CASE WHEN "failedLogins" + 1 >= ${config.LOGIN_MAX_FAILURES} THEN 0 ELSE "failedLogins" + 1 END,
        "lockedUntil" = CASE WHEN "failedLogins" + 1 >= ${config.LOGIN_MAX_FAILURES}
          THEN now() + make_interval(mins => ${config.LOGIN_LOCKOUT_MINUTES}) ELSE "lockedUntil" END
      WHERE "id" = ${user.id}::uuid AND ("lockedUntil" IS NULL OR "lockedUntil" <= now())
      RETURNING "failedLogins", "lockedUntil"`;
    const row = rows[0];
    const lockedUntil = row?.lockedUntil && row.lockedUntil > new Date() ? row.lockedUntil : null;
    const failures = lockedUntil ? config.LOGIN_MAX_FAILURES : (row?.failedLogins ?? config.LOGIN_MAX_FAILURES);
    await recordAuditEvent(
      {
        action: "auth.login",
        outcome: "failed",
        summary: !row
          ? "Wrong password for an account that a concurrent attempt just locked"
          : lockedUntil
            ? `Wrong password; account locked for ${config.LOGIN_LOCKOUT_MINUTES} minutes after ${failures} consecutive failures`
            : `Wrong password (${failures} of ${config.LOGIN_MAX_FAILURES} before lockout)`,
        actor: { email: user.email, userId: user.id },
        target: { kind: "User", name: user.email },
        diff: lockedUntil ? { lockedUntil: [null, lockedUntil.toISOString()] } : undefined,
        context,
      },
      tx,
    );
    return { ok: false, reason: !row || lockedUntil ? "locked" : "invalid" };
  });
}
