import "server-only";

import { getDb } from "@/server/db/client";

import { auditWhere, type AuditFilter } from "./audit-filter";

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
 * One page of events, newest first. Keyset pagination on the id (which only grows): the next
 * page starts below the last id shown, so events arriving meanwhile never shift a page.
 */
export async function listAuditEvents(
  filter: AuditFilter,
): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  const db = await getDb();
  const where = auditWhere(filter);
  const rows = await db.auditEvent.findMany({
    where: filter.cursor ? { AND: [where, { id: { lt: BigInt(filter.cursor) } }] } : where,
    orderBy: { id: "desc" },
    take: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit);
  return {
    events: page.map(toView),
    nextCursor: rows.length > filter.limit ? page[page.length - 1].id.toString() : null,
  };
}
