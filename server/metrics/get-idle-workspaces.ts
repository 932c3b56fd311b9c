import "server-only";

import type { Principal } from "@/server/auth/principal";

import { buildFleet } from "./build-fleet";
import { fleetWorkspacesOf } from "./get-fleet";
import { getPrometheusClient, type PrometheusClient } from "./prometheus-client";
import { queryFleetSeries } from "./query-fleet-series";

export type IdleWorkspace = { namespace: string; name: string; gpus: number };
export type IdleWorkspaces = { idleHours: number; workspaces: IdleWorkspace[] };

/**
 * The Workspaces the person may list that hold GPUs and served no request in the last
 * `idleHours`: the fleet's own two queries and its own rule (build-fleet.ts), for the whole list
 * at once.
 */
export async function getIdleWorkspaces(
  principal: Principal,
  idleHours: number,
  prometheus: PrometheusClient = getPrometheusClient(),
  nowMs: number = Date.now(),
): Promise<IdleWorkspaces> {
  const at = Math.floor(nowMs / 1000);
  const { results } = await queryFleetSeries(prometheus, { period: "24h", idleHours }, at, ["gpus", "recentRequests"]);
  const fleet = buildFleet(await fleetWorkspacesOf(principal), results, {});
  const workspaces = fleet.rows
    .filter((r) => r.idle)
    .map((r) => ({ namespace: r.namespace, name: r.name, gpus: r.gpus }));
  return { idleHours, workspaces };
}
