import "server-only";

import { z } from "zod";

import type { Prisma } from "@/server/db/generated/client";

import { AUDIT_OUTCOMES } from "./audit-event";

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} is longer than ${max} characters`)
    .optional()
    .transform((v) => (v ? v : undefined));

const optionalTime = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const date = new Date(v);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: "custom", message: `${label} is not a valid date and time` });
        return z.NEVER;
      }
      return date;
    });

/** The audit view's filters, as they arrive in the URL's query string. */
export const auditFilterSchema = z
  .object({
    actor: optionalText(320, "Actor").transform((v) => v?.toLowerCase()),
    // "workspace" matches workspace.create, workspace.delete …; "workspace.create" that action;
    // a trailing * any prefix.
    action: optionalText(64, "Action").refine(
      (v) => !v || /^[a-z0-9.*-]+$/.test(v),
      "Action may contain only a-z, 0-9, '.', '-' and a trailing '*'",
    ),
    target: optionalText(253, "Target"),
    namespace: optionalText(253, "Namespace"),
    outcome: z
      .enum(AUDIT_OUTCOMES)
      .optional()
      .or(z.literal("").transform(() => undefined)),
    from: optionalTime("From"),
    to: optionalTime("To"),
    q: optionalText(200, "Search text"),
    cursor: z
      .string()
      .regex(/^\d{1,19}$/, "Invalid page cursor")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "The time range ends before it starts", path: ["to"] });

export type AuditFilter = z.infer<typeof auditFilterSchema>;

/**
 * LIKE treats % and _ as wildcards and \ as their escape, and Prisma's contains/startsWith pass
 * the text through unescaped: a search for "100%" must mean that text, not "100" and anything.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The filter as a Prisma where clause; values are bound parameters, never spliced into SQL. */
export function auditWhere(filter: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filter.actor) and.push({ actorEmail: filter.actor });
  if (filter.action) {
    and.push(
      filter.action.endsWith("*")
        ? { action: { startsWith: escapeLike(filter.action.slice(0, -1)) } }
        : { OR: [{ action: filter.action }, { action: { startsWith: `${escapeLike(filter.action)}.` } }] },
    );
  }
  if (filter.target) and.push({ targetName: filter.target });
  if (filter.namespace) and.push({ targetNamespace: filter.namespace });
  if (filter.outcome) and.push({ outcome: filter.outcome });
  if (filter.from) and.push({ occurredAt: { gte: filter.from } });
  if (filter.to) and.push({ occurredAt: { lte: filter.to } });
  if (filter.q) {
    const contains = { contains: escapeLike(filter.q), mode: "insensitive" as const };
    and.push({ OR: [{ summary: contains }, { targetName: contains }, { actorEmail: contains }, { action: contains }] });
  }
  return and.length > 0 ? { AND: and } : {};
}

/**
 * Pages and exports run newest first by time, ties broken by id: ORDER BY occurredAt DESC, id DESC.
 * Every index on AuditEvent ends in (occurredAt, id), so a filter plus a time range is one index
 * range walked backwards (ordering by id alone made a `to` far in the past walk every newer row).
 */
export const AUDIT_ORDER = [
  { occurredAt: "desc" },
  { id: "desc" },
] satisfies Prisma.AuditEventOrderByWithRelationInput[];

/**
 * The events after `last` in AUDIT_ORDER (the keyset condition of the next page or batch). The
 * redundant `occurredAt <= last.occurredAt` lets PostgreSQL start the index walk there; the OR
 * alone it could only apply as a filter.
 */
export function auditAfter(last: { occurredAt: Date; id: bigint }): Prisma.AuditEventWhereInput {
  return {
    occurredAt: { lte: last.occurredAt },
    OR: [{ occurredAt: { lt: last.occurredAt } }, { occurredAt: last.occurredAt, id: { lt: last.id } }],
  };
}

/** The filter without paging, as query-string pairs (for export links and "next page"). */
export function filterQuery(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["actor", "action", "target", "namespace", "outcome", "q"] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (filter.from) params.set("from", filter.from.toISOString());
  if (filter.to) params.set("to", filter.to.toISOString());
  return params;
}
