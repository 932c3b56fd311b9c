import "server-only";

import type { Principal } from "@/server/auth/principal";
import { gpuPrices } from "@/server/catalog/gpu-prices";
import { identityOf, visibleRows } from "@/server/workspaces/workspace-access";
import { getWorkspaceCache } from "@/server/workspaces/workspace-cache";

import { buildFleet, type Fleet, type FleetWorkspace } from "./build-fleet";
import type { FleetQueryName } from "./fleet-queries";
import { getPrometheusClient, type PrometheusClient } from "./prometheus-client";
import { isRecordedPeriod } from "./fleet-recording-rules";
import { queryFleetSeries } from "./query-fleet-series";
import type { TimeWindow } from "./time-windows";

export type FleetView = Fleet & {
  period: TimeWindow;
  idleHours: number;
  at: number;
  queries: Record<FleetQueryName, string>;
  /**
   * When the figures read from the fleet's recording rules end (their last hourly evaluation, Unix
   * seconds); null when every figure comes from raw series.
   */
  recordedAt: number | null;
};

/** The inference Workspaces the person may list: the watch cache, checked by the apiserver as them. */
export async function fleetWorkspacesOf(principal: Principal): Promise<FleetWorkspace[]> {
  const cache = getWorkspaceCache();
  await cache.ready();
  const rows = (await visibleRows(identityOf(principal), cache.listRows())).filter((r) => r.mode === "inference");
  return rows.map((r) => ({ namespace: r.namespace, name: r.name, model: r.model, instanceType: r.instanceType }));
}

/**
 * The fleet page for one person: the inference Workspaces they may list (watch cache + the
 * apiserver's answer as them), joined to cluster-wide PromQL results over the period.
 */
export async function getFleet(
  principal: Principal,
  input: { period: TimeWindow; idleHours: number },
  prometheus: PrometheusClient = getPrometheusClient(),
  nowMs: number = Date.now(),
): Promise<FleetView> {
  const at = Math.floor(nowMs / 1000);
  const { queries, results, recordedAt } = await queryFleetSeries(prometheus, input, at);
  const fleet = buildFleet(await fleetWorkspacesOf(principal), results, gpuPrices());
  return { ...fleet, ...input, at, queries, recordedAt: isRecordedPeriod(input.period) ? recordedAt : null };
}
