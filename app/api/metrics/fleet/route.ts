import { defineRoute, parseInput } from "@/server/actions/define-route";
import { fleetCsv } from "@/server/metrics/fleet-csv";
import { getFleet } from "@/server/metrics/get-fleet";
import type { TimeWindow } from "@/server/metrics/time-windows";

import { fleetExportQuery } from "./schema";

export const dynamic = "force-dynamic";

/** The fleet table for download: `?period=24h&idleHours=24&format=csv|json`, the caller's Workspaces only. */
export const GET = defineRoute({ permission: "read" }, async (request, { principal }) => {
  const input = parseInput(fleetExportQuery, Object.fromEntries(new URL(request.url).searchParams));
  const fleet = await getFleet(principal!, { period: input.period as TimeWindow, idleHours: input.idleHours });
  if (input.format === "json") return Response.json(fleet);
  return new Response(fleetCsv(fleet.rows), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="fleet-${input.period}.csv"`,
    },
  });
});
