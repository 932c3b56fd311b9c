import { defineRoute, parseInput } from "@/server/actions/define-route";
import { authorizeWorkspaceMetrics } from "@/server/metrics/authorize-workspace-metrics";
import { getServingMetrics } from "@/server/metrics/get-serving-metrics";
import type { TimeWindow } from "@/server/metrics/time-windows";

import { servingMetricsQuery } from "./schema";

export const dynamic = "force-dynamic";

/** The serving panel's charts for one Workspace: `?window=15m|1h|24h|7d`. */
export const GET = defineRoute<{ namespace: string; name: string }>(
  { permission: "read" },
  async (request, { params, principal }) => {
    const { window } = parseInput(servingMetricsQuery, Object.fromEntries(new URL(request.url).searchParams));
    await authorizeWorkspaceMetrics(principal!, params.namespace, params.name);
    return Response.json(
      await getServingMetrics({ namespace: params.namespace, name: params.name, window: window as TimeWindow }),
    );
  },
);
