import { defineRoute, parseInput } from "@/server/actions/define-route";
import { getIdleWorkspaces } from "@/server/metrics/get-idle-workspaces";

import { idleWorkspacesQuery } from "./schema";

export const dynamic = "force-dynamic";

/** The caller's Workspaces holding GPUs without a request in `?idleHours=24` (1–168), for the list's badges. */
export const GET = defineRoute({ permission: "read" }, async (request, { principal }) => {
  const { idleHours } = parseInput(idleWorkspacesQuery, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await getIdleWorkspaces(principal!, idleHours));
});
