import { defineRoute } from "@/server/actions/define-route";
import { checkControllerStatus } from "@/server/controller/upstream-status";
import { checkClusterHealth } from "@/server/health/check-cluster-health";
import { getKubeClient } from "@/server/kube/get-kube-client";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ permission: "read" }, async () => {
  const health = await checkClusterHealth();
  // Whether the worker reconciles, observes, or stands down beside upstream Kaito (and why).
  const controller = health.connected ? await checkControllerStatus(await getKubeClient()) : undefined;
  return Response.json(
    { ...health, controller },
    { status: health.connected ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
});
