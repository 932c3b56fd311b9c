import "server-only";

import { getDb } from "@/server/db/client";

import { AUDIT_ORDER, auditAfter, auditWhere, type AuditFilter } from "./audit-filter";
import { cursorEvent, toView, type AuditEventView } from "./list-audit-events";

export type ExportFormat = "csv" | "ndjson";

const BATCH = 5000;
const CSV_COLUMNS = [
  "id",
  "occurredAt",
  "actorEmail",
  "actorUserId",
  "actorTokenId",
  "action",
  "targetKind",
  "targetNamespace",
  "targetName",
  "outcome",
  "summary",
  "diff",
  "requestId",
  "ip",
  "userAgent",
] as const satisfies ReadonlyArray<keyof AuditEventView>;

/**
 * Quotes a CSV field; fields starting with = + - @ (or tab/CR) are prefixed with a quote so that
 * spreadsheet programs do not run attacker-written text from the audit trail as a formula.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(event: AuditEventView): string {
  return `${CSV_COLUMNS.map((column) => csvField(event[column])).join(",")}\r\n`;
}

/**
 * The filtered events as a byte stream, read from the database in keyset batches only as fast
 * as the client consumes them: memory stays flat however large the export.
 */
export function exportAuditEvents(filter: AuditFilter, format: ExportFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const where = auditWhere(filter);
  const fetchBatch = async (after: { occurredAt: Date; id: bigint } | null) =>
    (await getDb()).auditEvent.findMany({
      where: after ? { AND: [where, auditAfter(after)] } : where,
      orderBy: AUDIT_ORDER,
      take: BATCH,
    });
  let after: { occurredAt: Date; id: bigint } | null = null;
  let prefetched: ReturnType<typeof fetchBatch> | null = null;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started && format === "csv") {
          started = true;
          controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(",")}\r\n`));
          return;
        }
        started = true;
        if (done) return controller.close();
        if (filter.cursor && !after) {
          after = await cursorEvent(filter.cursor);
          if (!after) return controller.close();
        }
        const rows = await (prefetched ?? fetchBatch(after));
        prefetched = null;
        if (rows.length < BATCH) done = true;
        if (rows.length === 0) return controller.close();
        after = rows[rows.length - 1];
        if (!done) {
          // The next batch is read while this one is formatted and sent, so the database and
          // this process work at the same time; at most two batches are held.
          prefetched = fetchBatch(after);
          prefetched.catch(() => {}); // a failure surfaces when the next pull awaits it
        }
        let chunk = "";
        for (const row of rows) {
          const view = toView(row);
          chunk += format === "csv" ? csvLine(view) : `${JSON.stringify(view)}\n`;
        }
        controller.enqueue(encoder.encode(chunk));
      },
      cancel() {
        prefetched = null;
      },
    },
    { highWaterMark: 1 },
  );
}
