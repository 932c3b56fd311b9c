import "server-only";

import pg from "pg";

/**
 * What the application's own database role may do, given by the owner role that ran the
 * migrations: read and write every table, but on the audit trail only INSERT and SELECT. Not
 * owning the tables, it also cannot ALTER them (so cannot DISABLE TRIGGER) or TRUNCATE them.
 * docs/install.md gives the same statements for a database administrator to run by hand.
 */
function grantStatements(role: string, schema: string): string[] {
  const r = pg.escapeIdentifier(role);
  const s = pg.escapeIdentifier(schema);
  return [
    `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
    `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${s}."AuditEvent" FROM ${r}`,
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${s}."_prisma_migrations" FROM ${r}`,
  ];
}

/**
 * Run with the owner's connection after migrating: creates the application role named in
 * `appUrl` when it does not exist yet (with that URL's password; the owner needs CREATEROLE for
 * this, else an administrator creates it as docs/install.md shows) and grants it exactly what
 * grantStatements lists, in one transaction. Re-run at every start, so tables added by later
 * migrations are covered. Returns the role's name.
 */
export async function prepareAppRole(owner: pg.Pool, appUrl: string): Promise<string> {
  const url = new URL(appUrl);
  const role = decodeURIComponent(url.username);
  const client = await owner.connect();
  try {
    const { rows } = await client.query<{ owner: string; schema: string; database: string; exists: boolean }>(
      `SELECT current_user AS owner, current_schema() AS schema, current_database() AS database,
        EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists`,
      [role],
    );
    const { owner: ownerRole, schema, database, exists } = rows[0];
    if (!role || role === ownerRole)
      throw new Error(
        `DATABASE_URL and DATABASE_MIGRATION_URL name the same role (${ownerRole}): the application would own the audit trail`,
      );
    await client.query("BEGIN");
    if (!exists) {
      const password = url.password ? ` PASSWORD ${pg.escapeLiteral(decodeURIComponent(url.password))}` : "";
      await client.query(`CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN${password}`);
    }
    await client.query(`GRANT CONNECT ON DATABASE ${pg.escapeIdentifier(database)} TO ${pg.escapeIdentifier(role)}`);
    for (const statement of grantStatements(role, schema)) await client.query(statement);
    await client.query("COMMIT");
    return role;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export type AuditProtection = {
  /** "separate-roles": the app cannot erase the audit trail; otherwise it could. */
  mode: "separate-roles" | "single-role" | "embedded";
  role: string;
};

/**
 * Whether the role this process connects with could rewrite or erase the audit trail: it owns
 * the table (or is a member of its owner, or a superuser), or holds UPDATE, DELETE or TRUNCATE
 * on it. Then only the append-only trigger stands in the way, and its owner can disable it.
 */
export async function readAuditProtection(
  query: (sql: string) => Promise<Array<Record<string, unknown>>>,
  embedded: boolean,
): Promise<AuditProtection> {
  const [row] = await query(`SELECT current_user AS role,
    pg_has_role(current_user, c.relowner, 'USAGE')
      OR has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE')
      OR has_table_privilege(c.oid, 'TRUNCATE') AS "canErase"
    FROM pg_class c WHERE c.oid = '"AuditEvent"'::regclass`);
  const role = String(row.role);
  if (embedded) return { mode: "embedded", role };
  return { mode: row.canErase ? "single-role" : "separate-roles", role };
}
