import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AuditAction } from "@/server/audit/audit-event";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { getDb } from "@/server/db/client";
import { newPGlite, pgliteAdapter } from "@/server/db/new-pglite";
import { diffMigrationsToSchema, readMigrations } from "@/server/db/schema-engine";

import { databaseKinds, useTestDatabase } from "../support/test-database";

describe("schema and migrations", () => {
  it("agree: replaying prisma/migrations yields exactly prisma/schema/*.prisma", async () => {
    const scratch = newPGlite();
    const sql = await diffMigrationsToSchema(pgliteAdapter(scratch));
    await scratch.close();
    expect(sql, "run `npm run db:migration -- <name>` to add the missing migration").toBe("");
  });

  it("are named in order with one migration.sql each", async () => {
    const list = await readMigrations();
    const names = list.migrationDirectories.map((d) => d.path);
    expect(names).toEqual([...names].sort());
    for (const dir of list.migrationDirectories) expect(dir.migrationFile.content.tag, dir.path).toBe("ok");
  });
});

describe.each(databaseKinds())("database on %s", (kind) => {
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ drop } = await useTestDatabase(kind));
  });
  afterAll(() => drop());

  it("has every migration applied and records them like prisma migrate", async () => {
    const db = await getDb();
    const rows = await db.$queryRaw<
      Array<{ migration_name: string }>
    >`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`;
    const expected = (await readMigrations()).migrationDirectories.map((d) => d.path);
    expect(rows.map((r) => r.migration_name)).toEqual(expected);
  });

  it("keeps the audit trail append-only: UPDATE, DELETE and TRUNCATE are refused", async () => {
    const db = await getDb();
    const { id } = await recordAuditEvent({
      action: "test.append-only" as AuditAction,
      outcome: "succeeded",
      summary: "original",
      actor: null,
    });
    await expect(db.auditEvent.update({ where: { id }, data: { summary: "rewritten" } })).rejects.toThrow(
      /append-only/,
    );
    await expect(db.auditEvent.delete({ where: { id } })).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/);
    const row = await db.auditEvent.findUnique({ where: { id } });
    expect(row?.summary).toBe("original");
  });
});

describe.skipIf(!databaseKinds().includes("postgres"))("database connections on PostgreSQL", () => {
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ drop } = await useTestDatabase("postgres"));
  });
  afterAll(() => drop());

  it("outlive the server closing an idle connection: the process keeps running and the next query reconnects", async () => {
    const db = await getDb();
    const [{ pid }] = await db.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`;
    // As an administrator or a failover would: the pool's connection is idle when it is closed.
    const admin = new pg.Client({ connectionString: process.env.KD_TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [{ answer }] = await db.$queryRaw<Array<{ answer: number }>>`SELECT 42 AS answer`;
    expect(answer).toBe(42);
  });
});
