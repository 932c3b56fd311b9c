import "server-only";

import { getDb } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";

import { ACTION_PATTERN, type AuditEventInput } from "./audit-event";

type AuditWriter = Pick<Prisma.TransactionClient, "auditEvent">;

const clip = (value: string | null | undefined, max: number): string | null =>
  value == null ? null : value.length > max ? `${value.slice(0, max - 1)}…` : value;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrNull = (value: string | null | undefined) => (value && UUID.test(value) ? value : null);

/** Maps an event to its row; over-long values are clipped so that recording never fails on length. */
export function auditEventRow(event: AuditEventInput): Prisma.AuditEventCreateInput {
  if (!ACTION_PATTERN.test(event.action)) throw new Error(`Audit action "${event.action}" is not resource.verb`);
  return {
    occurredAt: event.occurredAt,
    actorUserId: uuidOrNull(event.actor?.userId),
    actorEmail: clip(event.actor?.email ?? null, 320),
    actorTokenId: uuidOrNull(event.actor?.tokenId),
    action: event.action,
    targetKind: clip(event.target?.kind, 64),
    targetNamespace: clip(event.target?.namespace, 253),
    targetName: clip(event.target?.name, 253),
    outcome: event.outcome,
    summary: clip(event.summary, 2000) ?? "",
    diff: event.diff === undefined ? undefined : (JSON.parse(JSON.stringify(event.diff)) as Prisma.InputJsonValue),
    requestId: clip(event.context?.requestId, 64),
    ip: clip(event.context?.ip, 64),
    userAgent: clip(event.context?.userAgent, 512),
  };
}

/**
 * Appends one event to the audit trail. Server actions and route handlers get this through
 * defineAction/defineRoute; call it directly only for mutations outside them (the worker,
 * the inference fast path). Pass a transaction client to make the event part of a change.
 */
export async function recordAuditEvent(event: AuditEventInput, writer?: AuditWriter): Promise<{ id: bigint }> {
  const db = writer ?? (await getDb());
  return db.auditEvent.create({ data: auditEventRow(event), select: { id: true } });
}
