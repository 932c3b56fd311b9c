import "server-only";

import type { PhaseTransition } from "./derive-phase-transitions";

export type TimelineRow = PhaseTransition & { workspaceUid: string; namespace: string; name: string };

export type TimelineStore = {
  /** Inserts the rows not stored yet and returns exactly those (the unique key decides). */
  insertNew(rows: TimelineRow[]): Promise<TimelineRow[]>;
  list(namespace: string, name: string): Promise<TimelineRow[]>;
};

export function timelineRowKey(r: {
  workspaceUid: string;
  phase: string;
  subject: string;
  occurredAt: string;
}): string {
  return `${r.workspaceUid}|${r.phase}|${r.subject}|${new Date(r.occurredAt).toISOString()}`;
}

/** PostgreSQL through Prisma: the durable store the worker uses in production. */
export function createPrismaTimelineStore(): TimelineStore {
  const db = async () => (await import("@/server/db/client")).getDb();
  return {
    async insertNew(rows) {
      if (!rows.length) return [];
      const prisma = await db();
      const created = await prisma.timelineEvent.createManyAndReturn({
        data: rows.map((r) => ({
          workspaceUid: r.workspaceUid,
          namespace: r.namespace,
          name: r.name,
          phase: r.phase,
          subject: r.subject,
          reason: r.reason?.slice(0, 128) ?? null,
          message: r.message?.slice(0, 1024) ?? null,
          severity: r.severity,
          occurredAt: new Date(r.occurredAt),
        })),
        skipDuplicates: true,
        select: { workspaceUid: true, phase: true, subject: true, occurredAt: true },
      });
      const inserted = new Set(created.map((c) => timelineRowKey({ ...c, occurredAt: c.occurredAt.toISOString() })));
      return rows.filter((r) => inserted.has(timelineRowKey(r)));
    },
    async list(namespace, name) {
      const prisma = await db();
      const rows = await prisma.timelineEvent.findMany({
        where: { namespace, name },
        orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
        take: 2000,
      });
      return rows.map((r) => ({
        workspaceUid: r.workspaceUid,
        namespace: r.namespace,
        name: r.name,
        phase: r.phase as TimelineRow["phase"],
        subject: r.subject,
        reason: r.reason ?? undefined,
        message: r.message ?? undefined,
        severity: r.severity === "Warning" ? "Warning" : "Normal",
        occurredAt: r.occurredAt.toISOString(),
      }));
    },
  };
}

/** For unit tests and for a worker run explicitly without a database (CONTROLLER_TIMELINE=off is not that: it records nothing). */
export function createMemoryTimelineStore(): TimelineStore {
  const rows = new Map<string, TimelineRow>();
  return {
    async insertNew(batch) {
      const fresh = batch.filter((r) => !rows.has(timelineRowKey(r)));
      for (const r of fresh) rows.set(timelineRowKey(r), r);
      return fresh;
    },
    async list(namespace, name) {
      return [...rows.values()]
        .filter((r) => r.namespace === namespace && r.name === name)
        .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    },
  };
}
