// Integration-suite setup. Database tests run on PGlite always and on PostgreSQL when one is
// available: DATABASE_URL (CI's server), or TEST_POSTGRES=1 to start a throwaway server here.
// Each test file makes its own database on it (tests/support/test-database.ts).
import { startTestPostgres, type TestPostgres } from "./postgres";

let postgres: TestPostgres | undefined;

export async function setup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.KD_TEST_POSTGRES_URL ??= process.env.DATABASE_URL;
  } else if (process.env.TEST_POSTGRES === "1") {
    postgres = await startTestPostgres();
    process.env.KD_TEST_POSTGRES_URL = postgres.url;
  }
  // Code under test that calls getDb() without choosing a database gets a private in-memory
  // one, never the developer's .data/db.
  process.env.PGLITE_DIR ??= "memory://integration";
  process.env.AUTH_SECRET ??= "integration-tests-secret-0123456789abcdef";
}

export async function teardown(): Promise<void> {
  await postgres?.stop();
}
