import "server-only";

import { getDb, getDirectQuery } from "@/server/db/client";
import { AppError } from "@/server/errors";
import type { Prisma } from "@/server/db/generated/client";

import { AnonymousRefusals, isAnonymousRefusal } from "./anonymous-refusals";
import { ACTION_PATTERN, type AuditEventInput } from "./audit-event";

/** A Prisma transaction client, when the event must commit or roll back with a change. */
type AuditWriter = Pick<Prisma.TransactionClient, "$queryRawUnsafe">;

const clip = (value: string | null | undefined, max: number): string | null =>
  value == null ? null : value.length > max ? `${value.slice(0, max - 1)}…` : value;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrNull = (value: string | null | undefined) => (value && UUID.test(value) ? value : null);

/** The row's columns in INSERT_EVENT's order; over-long values are clipped so that recording never fails on length. */
export function auditEventValues(event: AuditEventInput): unknown[] {
  if (!ACTION_PATTERN.test(event.action)) throw new Error(`Audit action "${event.action}" is not resource.verb`);
  return [
    event.occurredAt ?? null,
    uuidOrNull(event.actor?.userId),
    clip(event.actor?.email ?? null, 320),
    uuidOrNull(event.actor?.tokenId),
    event.action,
    clip(event.target?.kind, 64),
    clip(event.target?.namespace, 253),
    clip(event.target?.name, 253),
    event.outcome,
    clip(event.summary, 2000) ?? "",
    event.diff == null ? null : JSON.stringify(event.diff),
    clip(event.context?.requestId, 64),
    clip(event.context?.ip, 64),
    clip(event.context?.userAgent, 512),
  ];
}

// Written as SQL rather than `auditEvent.create`: every mutation pays for this insert, and
// Prisma's query engine spent more CPU on it than PostgreSQL did (bench/audit-trail.ts measured
// 1,205 events/s through create against 4,564/s for the same insert through pg). The same
// statement serves both paths, so the row is identical inside and outside a transaction.
const INSERT_EVENT = {
  name: "kd_audit_event_insert",
  text: `INSERT INTO "AuditEvent" ("occurredAt", "actorUserId", "actorEmail", "actorTokenId", "action",
  "targetKind", "targetNamespace", "targetName", "outcome", "summary", "diff", "requestId", "ip", "userAgent")
VALUES (COALESCE($1::timestamptz, now()), $2::uuid, $3, $4::uuid, $5, $6, $7, $8, $9::"AuditOutcome", $10, $11::jsonb,
  $12, $13, $14)
RETURNING "id"`,
};

let anonymousRefusals: AnonymousRefusals | undefined;

/**
 * Appends one event to the audit trail. Server actions and route handlers get this through
 * defineAction/defineRoute; call it directly only for mutations outside them (the worker,
 * the inference fast path). Pass a transaction client to make the event part of a change.
 *
 * A refusal of a caller without any identity is counted instead (anonymous-refusals.ts): the
 * id is null when it was not written as an event of its own.
 */
export async function recordAuditEvent(
  event: AuditEventInput & { outcome: "succeeded" | "failed" },
  writer?: AuditWriter,
): Promise<{ id: bigint }>;
export async function recordAuditEvent(event: AuditEventInput, writer?: AuditWriter): Promise<{ id: bigint | null }>;
export async function recordAuditEvent(event: AuditEventInput, writer?: AuditWriter): Promise<{ id: bigint | null }> {
  if (!writer && isAnonymousRefusal(event)) {
    if (!ACTION_PATTERN.test(event.action)) throw new Error(`Audit action "${event.action}" is not resource.verb`);
    anonymousRefusals ??= new AnonymousRefusals((e) => insertAuditEvent(e));
    return anonymousRefusals.record(event);
  }
  return insertAuditEvent(event, writer);
}

/** Writes the counts of refused anonymous requests not yet recorded (graceful shutdown, tests). */
export async function flushAnonymousRefusals(): Promise<void> {
  await anonymousRefusals?.flush(Date.now(), true);
}

async function insertAuditEvent(event: AuditEventInput, writer?: AuditWriter): Promise<{ id: bigint }> {
  const values = auditEventValues(event);
  const rows = writer
    ? await writer.$queryRawUnsafe<Array<{ id: unknown }>>(INSERT_EVENT.text, ...values)
    : await (
        await getDirectQuery()
      )({ ...INSERT_EVENT, values });
  return { id: BigInt(String(rows[0].id)) };
}

/**
 * Refuses a mutation up front when the audit trail cannot be written, for the paths whose change
 * cannot roll back with the event (a file streamed to a registry, a call to the cluster).
 */
export async function ensureAuditWritable(): Promise<void> {
  try {
    await (
      await getDb()
    ).$queryRaw`SELECT 1`;
  } catch (error) {
    throw new AppError("unavailable", "The audit trail cannot be written right now, so nothing was changed.", {
      cause: error,
    });
  }
}
