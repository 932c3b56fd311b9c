import "server-only";

import bcrypt from "bcryptjs";
import { z } from "zod";

import type { RequestContext } from "@/server/audit/audit-event";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { getDb } from "@/server/db/client";

import { authConfig, EMAIL_PATTERN } from "./config";
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
  | { ok: true; user: { id: string; email: string; name: string | null } }
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
    await audit("denied", `Too many sign-in attempts from ${context.ip ?? "an unknown address"}`);
    return { ok: false, reason: "rate_limited" };
  }
  if (!parsed.success) {
    await audit("failed", "Malformed sign-in request");
    return { ok: false, reason: "malformed" };
  }

  const db = await getDb();
  const now = new Date();
  const user = await db.user.findUnique({ where: { email: parsed.data.email } });
  const matches = await bcrypt.compare(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !user.passwordHash) {
    await audit("failed", "Sign-in with an unknown email or an account without a password");
    return { ok: false, reason: "invalid" };
  }
  if (user.disabled) {
    await audit("denied", "Sign-in to a disabled account", user.id);
    return { ok: false, reason: "invalid" };
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await audit("denied", `Sign-in to a locked account (locked until ${user.lockedUntil.toISOString()})`, user.id);
    return { ok: false, reason: "locked" };
  }
  if (!matches) {
    const failures = user.failedLogins + 1;
    const lock = failures >= config.LOGIN_MAX_FAILURES;
    const lockedUntil = lock ? new Date(now.getTime() + config.LOGIN_LOCKOUT_MINUTES * 60_000) : null;
    await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { failedLogins: lock ? 0 : failures, lockedUntil } });
      await recordAuditEvent(
        {
          action: "auth.login",
          outcome: "failed",
          summary: lock
            ? `Wrong password; account locked for ${config.LOGIN_LOCKOUT_MINUTES} minutes after ${failures} consecutive failures`
            : `Wrong password (${failures} of ${config.LOGIN_MAX_FAILURES} before lockout)`,
          actor: { email: user.email, userId: user.id },
          target: { kind: "User", name: user.email },
          diff: lock ? { lockedUntil: [null, lockedUntil?.toISOString()] } : undefined,
          context,
        },
        tx,
      );
    });
    return { ok: false, reason: lock ? "locked" : "invalid" };
  }

  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now } });
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
  });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
