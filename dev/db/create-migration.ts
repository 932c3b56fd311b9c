// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
// the SQL that takes the committed migrations to the current prisma/schema/*.prisma. The diff runs
// against a throwaway in-memory PGlite (the WASM schema engine needs a live database to replay the
// migrations into), so no server is required.
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";

import { newPGlite, pgliteAdapter } from "../../server/db/new-pglite";
import { MIGRATIONS_DIR, diffMigrationsToSchema } from "../../server/db/schema-engine";

const name = (process.argv[2] ?? "").trim();
if (!/^[a-z0-9_]{1,60}$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name>   (lowercase letters, digits and underscores)");
  process.exit(2);
}

const pglite = newPGlite();
const sql = await diffMigrationsToSchema(pgliteAdapter(pglite));
await pglite.close();
if (!sql) {
  console.log("The schema and the migrations already agree; no migration written.");
  process.exit(0);
}

const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), `${sql}\n`);
const lock = path.join(MIGRATIONS_DIR, "migration_lock.toml");
if (!existsSync(lock)) writeFileSync(lock, 'provider = "postgresql"\n');
console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
