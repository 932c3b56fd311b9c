import { defineRoute, parseInput } from "@/server/actions/define-route";
import { auditFilterSchema } from "@/server/audit/audit-filter";
import { exportAuditEvents } from "@/server/audit/export-audit-events";

import { formatSchema } from "./schema";

export const dynamic = "force-dynamic";

/** GET /api/audit/export?format=csv|ndjson&<filters> — the filtered audit trail, streamed. */
export const GET = defineRoute({ permission: "read" }, (request) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const format = parseInput(formatSchema, params.format ?? "csv");
  const filter = parseInput(auditFilterSchema, { ...params, limit: undefined });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(exportAuditEvents(filter, format), {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
});
