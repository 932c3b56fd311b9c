import { defineRoute } from "@/server/actions/define-route";
import { checkClusterHealth } from "@/server/health/check-cluster-health";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ permission: "read" }, async () => {
  const health = await checkClusterHealth();
  return Response.json(health, { status: health.connected ? 200 : 503, headers: { "cache-control": "no-store" } });
});
