import "server-only";

import bcrypt from "bcryptjs";
import type { z } from "zod";

import type { ActionContext } from "@/server/actions/define-action";
import { endAllSessions } from "@/server/auth/end-sessions";
import { AppError } from "@/server/errors";

import type { changePasswordSchema, createUserSchema, updateUserSchema } from "./user-schemas";

export type UserView = {
  id: string;
  email: string;
  name: string | null;
  role: "viewer" | "operator" | "admin";
  disabled: boolean;
  external: boolean;
  /** The identity provider's groups at the last sign-in (single sign-on accounts only). */
  oidcGroups: string[];
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
};

export async function listUsers(db: Pick<ActionContext["tx"], "user">): Promise<UserView[]> {
  const users = await db.user.findMany({ orderBy: { email: "asc" } });
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabled,
    external: Boolean(u.externalId),
    oidcGroups: u.oidcGroups,
    lockedUntil: u.lockedUntil && u.lockedUntil > new Date() ? u.lockedUntil.toISOString() : null,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  }));
}

export async function createUser(
  input: z.infer<typeof createUserSchema>,
  { tx, audit }: ActionContext,
): Promise<{ id: string }> {
  if (await tx.user.findUnique({ where: { email: input.email } })) {
    throw new AppError("conflict", "A user with this email already exists.", {
      fieldErrors: { email: ["Already taken"] },
    });
  }
  const user = await tx.user.create({
    data: {
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await bcrypt.hash(input.password, 12),
    },
  });
  audit.set({
    summary: `Created ${input.role} ${input.email}`,
    target: { kind: "User", name: input.email },
    diff: { after: { email: input.email, name: input.name, role: input.role } },
  });
  return { id: user.id };
}

/** Role, name and disabled flag; refuses to leave the installation without an active admin. */
export async function updateUser(input: z.infer<typeof updateUserSchema>, { tx, audit }: ActionContext): Promise<void> {
  const user = await tx.user.findUnique({ where: { id: input.userId } });
  if (!user) throw new AppError("not_found", "That user no longer exists.");
  audit.set({ target: { kind: "User", name: user.email } });
  const losesAdmin =
    user.role === "admin" && !user.disabled && ((input.role && input.role !== "admin") || input.disabled === true);
  if (losesAdmin && (await tx.user.count({ where: { role: "admin", disabled: false } })) <= 1) {
    throw new AppError("conflict", "This is the last active administrator; promote someone else first.");
  }
  const data = {
    ...(input.role !== undefined ? { role: input.role } : {}),
    ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
    ...(input.name !== null ? { name: input.name } : {}),
  };
  const before = { role: user.role, disabled: user.disabled, name: user.name };
  const after = { ...before, ...data };
  await tx.user.update({ where: { id: user.id }, data });
  // A new role or a disabled account must not live on in sessions and tokens issued before.
  const ends = after.role !== before.role || (after.disabled && !before.disabled);
  const ended = ends ? await endAllSessions(tx, user.id) : null;
  audit.set({
    summary: ended
      ? `Updated ${user.email}; ended their sessions and revoked ${ended.revokedTokens} API token(s)`
      : `Updated ${user.email}`,
    diff: { before, after },
  });
}

export async function changeOwnPassword(
  input: z.infer<typeof changePasswordSchema>,
  { tx, principal, audit }: ActionContext,
): Promise<void> {
  const user = await tx.user.findUnique({ where: { id: principal.userId } });
  audit.set({ target: { kind: "User", name: principal.email } });
  if (!user?.passwordHash)
    throw new AppError("invalid_input", "This account signs in through single sign-on and has no password.");
  if (!(await bcrypt.compare(input.currentPassword, user.passwordHash))) {
    throw new AppError("invalid_input", "The current password is wrong.", {
      fieldErrors: { currentPassword: ["Wrong password"] },
    });
  }
  await tx.user.update({ where: { id: user.id }, data: { passwordHash: await bcrypt.hash(input.newPassword, 12) } });
  // Whoever else knew the old password is signed out, this browser included (it signs in again).
  const { revokedTokens } = await endAllSessions(tx, user.id);
  audit.set({ summary: `Changed own password; ended all sessions and revoked ${revokedTokens} API token(s)` });
}

/** "Sign out everywhere": every session of the caller, this one included, and every API token. */
export async function signOutEverywhere(_input: unknown, { tx, principal, audit }: ActionContext): Promise<void> {
  audit.set({ target: { kind: "User", name: principal.email } });
  const { revokedTokens } = await endAllSessions(tx, principal.userId);
  audit.set({ summary: `Signed out everywhere; revoked ${revokedTokens} API token(s)` });
}
