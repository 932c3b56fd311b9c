import "server-only";

import { escapeLike, type AuditFilter } from "./audit-filter";

/**
 * The filter (and a keyset position) as a SQL condition with numbered parameters, for the paths
 * that read past Prisma's query engine (the export). It mirrors `auditWhere` clause for clause;
 * values are always bound parameters.
 */
export function auditWhereSql(
  filter: AuditFilter,
  after: { occurredAt: Date; id: bigint } | null,
): { clause: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const and: string[] = [];
  if (filter.actor) and.push(`"actorEmail" = ${param(filter.actor)}`);
  if (filter.action) {
    and.push(
      filter.action.endsWith("*")
        ? `"action" LIKE ${param(`${escapeLike(filter.action.slice(0, -1))}%`)}`
        : `("action" = ${param(filter.action)} OR "action" LIKE ${param(`${escapeLike(filter.action)}.%`)})`,
    );
  }
  if (filter.target) and.push(`"targetName" = ${param(filter.target)}`);
  if (filter.namespace) and.push(`"targetNamespace" = ${param(filter.namespace)}`);
  if (filter.outcome) and.push(`"outcome" = ${param(filter.outcome)}::"AuditOutcome"`);
  if (filter.from) and.push(`"occurredAt" >= ${param(filter.from)}::timestamptz`);
  if (filter.to) and.push(`"occurredAt" <= ${param(filter.to)}::timestamptz`);
  if (filter.q) {
    const pattern = param(`%${escapeLike(filter.q)}%`);
    and.push(
      `("summary" ILIKE ${pattern} OR "targetName" ILIKE ${pattern} OR "actorEmail" ILIKE ${pattern} OR "action" ILIKE ${pattern})`,
    );
  }
  if (after) {
    // As in auditAfter: the redundant bound lets PostgreSQL start the index walk at the position.
    const at = param(after.occurredAt);
    const id = param(after.id.toString());
    and.push(`"occurredAt" <= ${at}::timestamptz AND ("occurredAt" < ${at}::timestamptz OR "id" < ${id}::bigint)`);
  }
  return { clause: and.length > 0 ? and.join(" AND ") : "TRUE", values };
}
