import { defineConfig } from "prisma/config";

// Only `prisma generate` runs through the CLI here (see dev/db/generate-client.ts); migrations
// are created and applied by the WASM schema engine (dev/db/create-migration.ts, server/db/migrate.ts).
export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unused" },
});
