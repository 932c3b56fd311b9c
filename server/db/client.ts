import "server-only";

import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import type { PrismaPGlite } from "pglite-prisma-adapter";

import { dbConfig, type DbConfig } from "./config";
import { prepareAppRole, readAuditProtection, type AuditProtection } from "./app-role";
import { claimOwnership, readOwner, releaseOwnership } from "./embedded-lock";
import { PrismaClient } from "./generated/client";
import { newPGlite, pgliteAdapter } from "./new-pglite";
import { applyMigrations } from "./schema-engine";

export type { PrismaClient };

/**
 * One statement sent straight to the driver, past Prisma's query engine, for the few hot writes
 * where the engine's per-query work costs more than the database (the audit trail's insert).
 * `name` lets PostgreSQL keep the parsed statement per connection; it must be unique per `text`.
 */
export type DirectQuery = (statement: {
  name: string;
  text: string;
  values: unknown[];
}) => Promise<Array<Record<string, unknown>>>;

type DbHandle = {
  prisma: PrismaClient;
  query: DirectQuery;
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
  return (await dbHandle()).prisma;
}

/** The process's direct statement runner, on the same connections (and database) as getDb(). */
export async function getDirectQuery(): Promise<DirectQuery> {
  return (await dbHandle()).query;
}

function dbHandle(): Promise<DbHandle> {
  globalForDb.__kdDb ??= connect(dbConfig()).catch((error: unknown) => {
    globalForDb.__kdDb = undefined;
    throw error;
  });
  return globalForDb.__kdDb;
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
    // PGlite queues this behind any open Prisma transaction, like every other query.
    query: async ({ text, values }) => (await pglite.query<Record<string, unknown>>(text, values)).rows,
    mode: "embedded-in-process",
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      releaseOwnership(config.PGLITE_DIR);
    },
  };
}

async function connectPostgres(url: string, max: number, config: DbConfig, mode: DbHandle["mode"]): Promise<DbHandle> {
  if (config.DB_MIGRATE_ON_START && mode === "postgres") await migrateDatabase(config);
  const pool = survivingIdleErrors(new pg.Pool({ connectionString: url, max }));
  const adapter = new PrismaPg(pool);
  const prisma = new PrismaClient({ adapter });
  // Behind the embedded database's socket every connection shares one PGlite session, where a
  // statement name prepared by one connection would collide with another's: send those unnamed.
  const named = mode === "postgres";
  return {
    prisma,
    query: async ({ name, text, values }) => (await pool.query(named ? { name, text, values } : { text, values })).rows,
    mode,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * A pool emits "error" when an idle connection dies (the server restarts, fails over, or an
 * administrator terminates it); with no listener Node treats that as an uncaught exception and
 * the whole process exits. pg has already dropped the connection, and the next query opens a new
 * one, so logging it is all there is to do. The message never holds the connection string.
 */
function survivingIdleErrors(pool: pg.Pool): pg.Pool {
  pool.on("error", (error) => console.error(`database: an idle connection was closed: ${error.message}`));
  return pool;
}

/**
 * Applies pending migrations to the PostgreSQL server. With DATABASE_MIGRATION_URL they run as
 * that owner role, which then grants DATABASE_URL's role what it may do (app-role.ts); the owner's
 * connection is closed before the application's opens. Without it, DATABASE_URL's single role
 * migrates and owns everything. `web-server.mjs --migrate-only` runs just this.
 */
export async function migrateDatabase(config: DbConfig = dbConfig()): Promise<void> {
  if (!config.DATABASE_URL) throw new Error("DATABASE_URL is not set: the embedded database migrates when it opens");
  const ownerUrl = config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL;
  const pool = survivingIdleErrors(new pg.Pool({ connectionString: ownerUrl, max: 2 }));
  try {
    await migrate(withWholeScripts(new PrismaPg(pool), pool));
    if (config.DATABASE_MIGRATION_URL) {
      const role = await prepareAppRole(pool, config.DATABASE_URL);
      console.log(`database: role ${role} may only INSERT and SELECT on the audit trail`);
    }
  } finally {
    await pool.end();
  }
}

/** Whether this process's database role could erase the audit trail, for the admin UI. */
export async function readDbAuditProtection(): Promise<AuditProtection> {
  const handle = await dbHandle();
  return readAuditProtection(
    (text) => handle.query({ name: "kd_audit_protection", text, values: [] }),
    handle.mode !== "postgres",
  );
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
    const pglite = newPGlite(inMemory ? undefined : dir);
    await pglite.waitReady;
    const adapter = pgliteAdapter(pglite);
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
