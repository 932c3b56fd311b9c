import { defineRoute, parseInput } from "@/server/actions/define-route";
import { AppError } from "@/server/errors";
import { getInferenceSetDetail } from "@/server/inferencesets/get-inferenceset-detail";
import { getInferenceSetServingMetrics } from "@/server/metrics/get-serving-metrics";
import { dnsLabel } from "@/server/metrics/promql";
import type { TimeWindow } from "@/server/metrics/time-windows";
import { identityOf } from "@/server/workspaces/workspace-access";

import { inferenceSetMetricsQuery } from "./schema";

export const dynamic = "force-dynamic";

/**
 * The serving panel of an InferenceSet, a line per child Workspace: `?window=15m|1h|24h|7d`. The
 * set and its children are read as the caller, so their RBAC decides (403), and an unknown set is a 404.
 */
export const GET = defineRoute<{ namespace: string; name: string }>(
  { permission: "read" },
  async (request, { params, principal }) => {
    const { window } = parseInput(inferenceSetMetricsQuery, Object.fromEntries(new URL(request.url).searchParams));
    const namespace = dnsLabel("namespace", params.namespace);
    const name = dnsLabel("name", params.name);
    const detail = await getInferenceSetDetail(namespace, name, identityOf(principal!));
    if (!detail) throw new AppError("not_found", `InferenceSet ${namespace}/${name} does not exist`);
    return Response.json(
      await getInferenceSetServingMetrics({
        namespace,
        name,
        window: window as TimeWindow,
        children: detail.children.map((c) => c.name),
      }),
    );
  },
);
