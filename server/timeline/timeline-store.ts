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

/**
 * Rows in the order of INSERT_TIMELINE's arrays. One statement for a whole batch; the unique key
 * (workspace uid, phase, subject, occurredAt) makes a repeat a no-op, and RETURNING says which
 * rows were new.
 */
const INSERT_TIMELINE = {
  name: "kd_timeline_insert",
  text: `INSERT INTO "TimelineEvent" ("workspaceUid", "namespace", "name", "phase", "subject", "reason", "message",
  "severity", "occurredAt")
SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[],
  $7::varchar[], $8::varchar[], $9::timestamptz[])
ON CONFLICT ("workspaceUid", "phase", "subject", "occurredAt") DO NOTHING
RETURNING "workspaceUid", "phase", "subject", "occurredAt"`,
};

/**
 * PostgreSQL: the durable store the worker uses in production. Inserts go straight to the
 * driver (getDirectQuery), past Prisma's query engine: running the same insert through
 * createManyAndReturn grew the worker's RSS by ~100 MiB of native memory within 1,000 batches.
 */
export function createPrismaTimelineStore(): TimelineStore {
  const db = async () => (await import("@/server/db/client")).getDb();
  return {
    async insertNew(rows) {
      if (!rows.length) return [];
      const query = await (await import("@/server/db/client")).getDirectQuery();
      const column = <T>(pick: (r: TimelineRow) => T) => rows.map(pick);
      const created = await query({
        ...INSERT_TIMELINE,
        values: [
          column((r) => r.workspaceUid),
          column((r) => r.namespace),
          column((r) => r.name),
          column((r) => r.phase),
          column((r) => r.subject),
          column((r) => r.reason?.slice(0, 128) ?? null),
          column((r) => r.message?.slice(0, 1024) ?? null),
          column((r) => r.severity),
          column((r) => new Date(r.occurredAt).toISOString()),
        ],
      });
      const inserted = new Set(
        created.map((c) =>
          timelineRowKey({
            workspaceUid: String(c.workspaceUid),
            phase: String(c.phase),
            subject: String(c.subject),
            occurredAt: new Date(c.occurredAt as string | Date).toISOString(),
          }),
        ),
      );
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
