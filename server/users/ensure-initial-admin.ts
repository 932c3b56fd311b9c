import "server-only";

import { randomBytes } from "node:crypto";

import bcrypt from "bcryptjs";

import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { authConfig } from "@/server/auth/config";
import { getDb } from "@/server/db/client";

export const DEFAULT_ADMIN_EMAIL = "admin@localhost";

/**
 * On a database without users, creates the first admin: ADMIN_EMAIL/ADMIN_PASSWORD when given
 * (automated installs), otherwise `admin@localhost` with a random password that is printed once
 * to the console and never stored or logged anywhere else.
 */
export async function ensureInitialAdmin(
  print: (line: string) => void = console.log,
): Promise<{ created: boolean; email?: string }> {
  const config = authConfig();
  const db = await getDb();
  if ((await db.user.count()) > 0) return { created: false };
  const email = (config.ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
  const password = config.ADMIN_PASSWORD ?? randomBytes(15).toString("base64url");
  // Hashed before the transaction: bcrypt's deliberate slowness inside it ran past Prisma's
  // 5 s interactive-transaction limit on a loaded 2-core machine.
  const passwordHash = await bcrypt.hash(password, 12);
  const created = await db.$transaction(async (tx) => {
    // Two processes starting at once: the second finds the user and does nothing.
    if ((await tx.user.count()) > 0) return false;
    const user = await tx.user.create({
      data: { email, name: "Administrator", role: "admin", passwordHash },
    });
    await recordAuditEvent(
      {
        action: "user.create",
        outcome: "succeeded",
        summary: "Created the first administrator",
        actor: null,
        target: { kind: "User", name: email },
        diff: { after: { email, role: "admin" } },
      },
      tx,
    );
    return Boolean(user);
  });
  if (created && !config.ADMIN_PASSWORD) {
    print(`First sign-in: ${email} / ${password}   (shown once; change it under Settings)`);
  } else if (created) {
    print(`First sign-in: ${email} with the password from ADMIN_PASSWORD`);
  }
  return { created, email };
}
