import "server-only";

import { getDb } from "@/server/db/client";

import { AUDIT_ORDER, auditAfter, auditWhere, type AuditFilter } from "./audit-filter";

export type AuditEventView = {
  id: string;
  occurredAt: string;
  actorEmail: string | null;
  actorUserId: string | null;
  actorTokenId: string | null;
  action: string;
  targetKind: string | null;
  targetNamespace: string | null;
  targetName: string | null;
  outcome: "succeeded" | "denied" | "failed";
  summary: string;
  diff: unknown;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
};

type Row = Omit<AuditEventView, "id" | "occurredAt"> & { id: bigint; occurredAt: Date };

export function toView(row: Row): AuditEventView {
  return { ...row, id: row.id.toString(), occurredAt: row.occurredAt.toISOString() };
}

/**
 * One page of events, newest first. Keyset pagination: the cursor is the id of the last event
 * shown and the next page starts after it in (occurredAt, id) order, so events arriving
 * meanwhile never shift a page.
 */
export async function listAuditEvents(
  filter: AuditFilter,
): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  const db = await getDb();
  const where = auditWhere(filter);
  const after = filter.cursor ? await cursorEvent(filter.cursor) : null;
  if (filter.cursor && !after) return { events: [], nextCursor: null };
  const rows = await db.auditEvent.findMany({
    where: after ? { AND: [where, auditAfter(after)] } : where,
    orderBy: AUDIT_ORDER,
    take: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit);
  return {
    events: page.map(toView),
    nextCursor: rows.length > filter.limit ? page[page.length - 1].id.toString() : null,
  };
}

/** The position a cursor (an event id) stands for; null when no such event exists. */
export async function cursorEvent(cursor: string): Promise<{ occurredAt: Date; id: bigint } | null> {
  const db = await getDb();
  return db.auditEvent.findUnique({ where: { id: BigInt(cursor) }, select: { occurredAt: true, id: true } });
}

/**
 * Every action name the trail holds, for the Action filter's choices. A loose index scan over
 * the (action, …) index: one short index probe per distinct action, however long the trail.
 */
export async function listAuditActions(): Promise<string[]> {
  const db = await getDb();
  const rows = await db.$queryRaw<{ action: string | null }[]>`
    WITH RECURSIVE a AS (
      (SELECT "action" FROM "AuditEvent" ORDER BY "action" LIMIT 1)
      UNION ALL
      SELECT (SELECT "action" FROM "AuditEvent" WHERE "action" > a."action" ORDER BY "action" LIMIT 1)
      FROM a WHERE a."action" IS NOT NULL
    )
    SELECT "action" FROM a WHERE "action" IS NOT NULL`;
  return rows.map((r) => r.action!);
}
