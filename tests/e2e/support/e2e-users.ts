import bcrypt from "bcryptjs";
import pg from "pg";

// The database the web server under test uses: CI's server, or the embedded database's socket.
const DATABASE_URL =
  process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5499/postgres";

/** Local accounts for a spec, created or reset (role, password, unlocked) straight in the database. */
export async function upsertUsers(users: { email: string; role: "viewer" | "operator" | "admin" }[], password: string) {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const hash = await bcrypt.hash(password, 4);
    for (const { email, role } of users)
      await client.query(
        `INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt") VALUES (gen_random_uuid(), $1, $2, $3::"Role", $4, now())
         ON CONFLICT (email) DO UPDATE SET role = EXCLUDED.role, "passwordHash" = EXCLUDED."passwordHash", "failedLogins" = 0, "lockedUntil" = NULL, disabled = false`,
        [email, `${role} (e2e)`, role, hash],
      );
  } finally {
    await client.end();
  }
}
