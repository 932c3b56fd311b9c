// Runs once when the web server starts: the database is migrated and, on a fresh install, the
// first administrator is created and its one-time password printed on this process's console.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ensureInitialAdmin } = await import("@/server/users/ensure-initial-admin");
  await ensureInitialAdmin();
}
