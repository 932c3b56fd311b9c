import { defineRoute } from "@/server/actions/define-route";
import { PUBLIC } from "@/server/auth/permissions";
import { checkDatabase } from "@/server/health/check-database";

export const dynamic = "force-dynamic";

/**
 * Kubernetes probes. Liveness (`GET /api/healthz`) only proves the process serves requests, so a
 * database outage never restarts every replica; readiness (`?probe=ready`) also needs the
 * database, which includes the migrations applied on first connect.
 */
export const GET = defineRoute({ permission: PUBLIC }, async (request) => {
  if (new URL(request.url).searchParams.get("probe") !== "ready") return Response.json({ status: "ok" });
  try {
    await checkDatabase();
    return Response.json({ status: "ok", database: "ok" });
  } catch (error) {
    // The reason goes to the server log; probes and strangers only learn "not ready".
    console.error(`readiness: database unreachable: ${error instanceof Error ? error.message : String(error)}`);
    return Response.json({ status: "unavailable", database: "unreachable" }, { status: 503 });
  }
});
