import { defineRoute, parseInput } from "@/server/actions/define-route";
import { auditFilterSchema } from "@/server/audit/audit-filter";
import { listAuditEvents } from "@/server/audit/list-audit-events";

export const dynamic = "force-dynamic";

/** GET /api/audit/events?<filters>&cursor=&limit= — one page of the audit trail, newest first. */
export const GET = defineRoute({ permission: "read" }, async (request) => {
  const filter = parseInput(auditFilterSchema, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await listAuditEvents(filter), { headers: { "cache-control": "no-store" } });
});
