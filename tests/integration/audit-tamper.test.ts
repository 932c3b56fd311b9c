// #13 item 5: the application's database role cannot rewrite or erase the audit trail. On the
// real PostgreSQL server only (CI's DATABASE_URL, or TEST_POSTGRES=1 here): PGlite has one role.
import { randomBytes } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AuditAction } from "@/server/audit/audit-event";
import { flushAnonymousRefusals, recordAuditEvent } from "@/server/audit/record-audit-event";
import { closeDb, getDb, readDbAuditProtection } from "@/server/db/client";

const serverUrl = process.env.KD_TEST_POSTGRES_URL;

describe.runIf(serverUrl)("audit trail against its own writer, on PostgreSQL", () => {
  const suffix = randomBytes(4).toString("hex");
  const owner = `kd_owner_${suffix}`;
  const app = `kd_app_${suffix}`;
  const database = `kd_tamper_${suffix}`;
  const urlFor = (role: string, password?: string) => {
    const url = new URL(serverUrl!);
    url.username = role;
    url.password = password ?? "";
    url.pathname = `/${database}`;
    return url.toString();
  };
  const saved = { ...process.env };
  let asApp: pg.Client;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    // The owner is an ordinary role, as a managed database would give: no superuser.
    await admin.query(`CREATE ROLE ${owner} LOGIN CREATEROLE`);
    await admin.query(`CREATE DATABASE ${database} OWNER ${owner}`);
    await admin.end();
    const fix = new pg.Client({ connectionString: urlFor(new URL(serverUrl!).username || "postgres") });
    await fix.connect();
    await fix.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO ${owner}`);
    await fix.end();

    await closeDb();
    process.env.DATABASE_MIGRATION_URL = urlFor(owner);
    process.env.DATABASE_URL = urlFor(app, "app-secret");
    await getDb(); // migrates as the owner, creates the app role, grants, then connects as the app
    asApp = new pg.Client({ connectionString: urlFor(app, "app-secret") });
    await asApp.connect();
  });

  afterAll(async () => {
    await asApp?.end();
    await closeDb();
    process.env.DATABASE_URL = saved.DATABASE_URL;
    process.env.DATABASE_MIGRATION_URL = saved.DATABASE_MIGRATION_URL;
    if (saved.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
    if (saved.DATABASE_MIGRATION_URL === undefined) delete process.env.DATABASE_MIGRATION_URL;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${app}`);
    await admin.query(`DROP ROLE IF EXISTS ${owner}`);
    await admin.end();
  });

  it("lets the application add and read events and use its other tables", async () => {
    const { id } = await recordAuditEvent({
      action: "test.tamper" as AuditAction,
      outcome: "succeeded",
      summary: "original",
      actor: null,
    });
    expect((await asApp.query(`SELECT summary FROM "AuditEvent" WHERE id = $1`, [String(id)])).rows).toEqual([
      { summary: "original" },
    ]);
    const db = await getDb();
    const user = await db.user.create({ data: { email: `tamper-${suffix}@example.test` } });
    await db.user.update({ where: { id: user.id }, data: { name: "changed" } });
    await db.user.delete({ where: { id: user.id } });
    expect(await readDbAuditProtection()).toEqual({ mode: "separate-roles", role: app });
  });

  it.each([
    ["UPDATE", `UPDATE "AuditEvent" SET summary = 'rewritten'`],
    ["DELETE", `DELETE FROM "AuditEvent"`],
    ["TRUNCATE", `TRUNCATE "AuditEvent"`],
    ["DISABLE TRIGGER", `ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`],
    ["DISABLE TRIGGER ALL", `ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`],
    ["DROP", `DROP TABLE "AuditEvent"`],
  ])("refuses %s as the application's role", async (_name, sql) => {
    const error = await asApp.query(sql).then(
      () => null,
      (e: { code?: string; message: string }) => e,
    );
    // 42501 insufficient_privilege: "permission denied for table" or "must be owner of table".
    expect(error?.code, error?.message).toBe("42501");
    expect((await asApp.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE summary = 'original'`)).rows).toEqual([
      { n: 1 },
    ]);
  });

  it("counts refused anonymous requests: one event for a burst from one address, with the count", async () => {
    const burst = Array.from({ length: 40 }, () =>
      recordAuditEvent({
        action: "workspace.create",
        outcome: "denied",
        summary: "Not signed in",
        actor: null,
        context: { ip: "198.51.100.77" },
      }),
    );
    await Promise.all(burst);
    await flushAnonymousRefusals();
    const rows = (
      await asApp.query<{ action: string; diff: { count: number } | null }>(
        `SELECT action, diff FROM "AuditEvent" WHERE ip = '198.51.100.77' ORDER BY id`,
      )
    ).rows;
    expect(rows.map((r) => [r.action, r.diff?.count ?? 1])).toEqual([
      ["workspace.create", 1],
      ["anonymous.refused", 39],
    ]);
  });
});
