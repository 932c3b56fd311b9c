import { defineRoute } from "@/server/actions/define-route";
import { PUBLIC } from "@/server/auth/permissions";
import { getDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

const DB_CHECK_TIMEOUT_MS = 2000;

/**
 * Kubernetes probes. Liveness (`GET /api/healthz`) only proves the process serves requests, so a
 * database outage never restarts every replica; readiness (`?probe=ready`) also needs the
 * database, which includes the migrations applied on first connect.
 */
export const GET = defineRoute({ permission: PUBLIC }, async (request) => {
  if (new URL(request.url).searchParams.get("probe") !== "ready") return Response.json({ status: "ok" });
  try {
    await withTimeout(
      getDb().then((db) => db.$queryRaw`SELECT 1`),
      DB_CHECK_TIMEOUT_MS,
    );
    return Response.json({ status: "ok", database: "ok" });
  } catch (error) {
    // The reason goes to the server log; probes and strangers only learn "not ready".
    console.error(`readiness: database unreachable: ${error instanceof Error ? error.message : String(error)}`);
    return Response.json({ status: "unavailable", database: "unreachable" }, { status: 503 });
  }
});

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
