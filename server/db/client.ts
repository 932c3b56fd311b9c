import "server-only";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { dbConfig, type DbConfig } from "./config";
import { claimOwnership, readOwner, releaseOwnership } from "./embedded-lock";
import { PrismaClient } from "./generated/client";
import { applyMigrations } from "./schema-engine";

export type { PrismaClient };

type DbHandle = {
  prisma: PrismaClient;
  close(): Promise<void>;
  mode: "postgres" | "embedded-socket" | "embedded-in-process";
};

// One client per process; kept on globalThis so Next's dev reloads do not open a second PGlite.
const globalForDb = globalThis as typeof globalThis & { __kdDb?: Promise<DbHandle> };

/**
 * The process's Prisma client. DATABASE_URL → that PostgreSQL server. Otherwise the embedded
 * PGlite database in PGLITE_DIR: through its owner's socket when `serve-embedded-db` runs,
 * else opened in this process (which then owns it). Migrations apply on first use.
 */
export async function getDb(): Promise<PrismaClient> {
  globalForDb.__kdDb ??= connect(dbConfig()).catch((error: unknown) => {
    globalForDb.__kdDb = undefined;
    throw error;
  });
  return (await globalForDb.__kdDb).prisma;
}

/** Closes the process's client (tests, graceful shutdown). */
export async function closeDb(): Promise<void> {
  const handle = globalForDb.__kdDb;
  globalForDb.__kdDb = undefined;
  if (handle) await (await handle).close();
}

async function connect(config: DbConfig): Promise<DbHandle> {
  if (config.DATABASE_URL) return connectPostgres(config.DATABASE_URL, config.DB_POOL_SIZE, config, "postgres");
  const owner = config.PGLITE_DIR.startsWith("memory://") ? null : readOwner(config.PGLITE_DIR);
  if (owner?.port) {
    // The socket serializes everything through one PGlite anyway; more connections only queue.
    return connectPostgres(`postgresql://postgres@127.0.0.1:${owner.port}/postgres`, 2, config, "embedded-socket");
  }
  const { pglite, adapter } = await openEmbedded(config.PGLITE_DIR, null, config.DB_MIGRATE_ON_START);
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    mode: "embedded-in-process",
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      releaseOwnership(config.PGLITE_DIR);
    },
  };
}

async function connectPostgres(url: string, max: number, config: DbConfig, mode: DbHandle["mode"]): Promise<DbHandle> {
  const pool = new pg.Pool({ connectionString: url, max });
  const adapter = new PrismaPg(pool);
  if (config.DB_MIGRATE_ON_START && mode === "postgres") await migrate(withWholeScripts(adapter, pool));
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    mode,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * adapter-pg runs a migration script by splitting it on every ";", which breaks function bodies
 * (the audit trail's append-only trigger). Sent whole, PostgreSQL's simple query protocol runs
 * the statements in order as one implicit transaction.
 */
function withWholeScripts(factory: PrismaPg, pool: pg.Pool): SqlMigrationAwareDriverAdapterFactory {
  const patch = <T extends { executeScript(script: string): Promise<void> }>(adapter: T): T =>
    Object.assign(adapter, {
      async executeScript(script: string) {
        await pool.query(script);
      },
    });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}

/**
 * Opens (creating if needed) the PGlite database in `dir` as its single owner, applies pending
 * migrations, and returns it with a Prisma adapter. `dir` "memory://" gives a throwaway database.
 */
export async function openEmbedded(
  dir: string,
  port: number | null,
  migrateOnOpen = true,
): Promise<{ pglite: PGlite; adapter: PrismaPGlite }> {
  const inMemory = dir.startsWith("memory://");
  if (!inMemory) claimOwnership(dir, port);
  try {
    const pglite = new PGlite(inMemory ? undefined : dir);
    await pglite.waitReady;
    const adapter = new PrismaPGlite(pglite);
    if (migrateOnOpen) await migrate(adapter);
    return { pglite, adapter };
  } catch (error) {
    if (!inMemory) releaseOwnership(dir);
    throw error;
  }
}

async function migrate(adapter: SqlMigrationAwareDriverAdapterFactory): Promise<void> {
  const applied = await applyMigrations(adapter);
  if (applied.length > 0) console.log(`database: applied migrations ${applied.join(", ")}`);
}
