import "server-only";

import { z } from "zod";

import { envBoolean, parseEnv } from "@/server/env";

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /**
   * The owner role's URL, for migrations only; DATABASE_URL then names the application's role,
   * which may only INSERT and SELECT on the audit trail (server/db/app-role.ts, docs/install.md).
   */
  DATABASE_MIGRATION_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  PGLITE_DIR: z.string().min(1).default(".data/db"),
  EMBEDDED_DB_PORT: z.coerce.number().int().min(1).max(65535).default(5499),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DB_MIGRATE_ON_START: envBoolean(true),
});

export type DbConfig = z.infer<typeof schema>;

export function dbConfig(source: NodeJS.ProcessEnv = process.env): DbConfig {
  return parseEnv("database", schema, source);
}
