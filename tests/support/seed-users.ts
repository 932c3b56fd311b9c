// Users of every role with a personal API token each, for tests that call the app as them.
import bcrypt from "bcryptjs";

import type { Role } from "@/server/auth/permissions";
import { getDb } from "@/server/db/client";
import { generateApiToken } from "@/server/tokens/api-token";

export type SeededUser = { id: string; email: string; password: string; role: Role; token: string };

export async function seedUsers(prefix = "t"): Promise<Record<Role, SeededUser>> {
  const db = await getDb();
  const password = "correct horse battery staple";
  const passwordHash = await bcrypt.hash(password, 4);
  const result = {} as Record<Role, SeededUser>;
  for (const role of ["viewer", "operator", "admin"] as const) {
    const email = `${prefix}-${role}@example.test`;
    const user = await db.user.create({ data: { email, role, passwordHash, name: `${role} user` } });
    const { token, prefix: tokenPrefix, hash } = generateApiToken();
    await db.apiToken.create({ data: { userId: user.id, name: `${role} token`, prefix: tokenPrefix, hash } });
    result[role] = { id: user.id, email, password, role, token };
  }
  return result;
}
