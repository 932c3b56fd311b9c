// Points the app's getDb() at a fresh database for one test file: an in-memory PGlite, or a new
// database on the PostgreSQL server from DATABASE_URL (CI) / the one global-setup started.
import { randomBytes } from "node:crypto";

import pg from "pg";

import { closeDb, getDb } from "@/server/db/client";

export type DbKind = "pglite" | "postgres";

/** The kinds to run database tests on: always PGlite, PostgreSQL when a server is available. */
export function databaseKinds(): DbKind[] {
  return process.env.KD_TEST_POSTGRES_URL ? ["pglite", "postgres"] : ["pglite"];
}

export async function useTestDatabase(kind: DbKind): Promise<{ url?: string; drop(): Promise<void> }> {
  await closeDb();
  const saved = { DATABASE_URL: process.env.DATABASE_URL, PGLITE_DIR: process.env.PGLITE_DIR };
  const restore = () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  if (kind === "pglite") {
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DIR = `memory://${randomBytes(4).toString("hex")}`;
    await getDb();
    return {
      async drop() {
        await closeDb();
        restore();
      },
    };
  }
  const serverUrl = process.env.KD_TEST_POSTGRES_URL!;
  const name = `kd_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  await getDb();
  return {
    url: url.toString(),
    async drop() {
      await closeDb();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      restore();
    },
  };
}
