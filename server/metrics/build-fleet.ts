import "server-only";

import { findSku } from "@/lib/kaito/gpu-skus";

import type { FleetQueryName } from "./fleet-queries";
import type { Series } from "./prometheus-client";

/** What the fleet needs of a Workspace from the watch cache. */
export type FleetWorkspace = { namespace: string; name: string; model: string; instanceType: string };

export type FleetRow = FleetWorkspace & {
  gpus: number;
  /** Mean DCGM_FI_DEV_GPU_UTIL of its GPUs over the period, 0–100; null without GPU data. */
  gpuUtil: number | null;
  gpuHours: number;
  /** null when the instance type has no price. */
  costUsd: number | null;
  outputTokens: number;
  costPerMillionOutputTokens: number | null;
  requests: number;
  ttftP95Seconds: number | null;
  /** Holds GPUs and served no request in the idle window. */
  idle: boolean;
};

export type FleetGroup = {
  key: string;
  workspaces: number;
  gpus: number;
  gpuUtil: number | null;
  gpuHours: number;
  costUsd: number;
};

export type Fleet = {
  rows: FleetRow[];
  byNamespace: FleetGroup[];
  byModel: FleetGroup[];
  totals: { gpus: number; gpuHours: number; costUsd: number; outputTokens: number; idleGpus: number };
  slowest: FleetRow[];
  busiest: FleetRow[];
};

type Results = Record<FleetQueryName, Series[]>;

const value = (s: Series) => s.points.at(-1)?.[1] ?? NaN;

/**
 * Joins the cluster-wide query results to the Workspaces the person may see: GPU series by pod
 * (a Workspace's pods are `<name>-<ordinal>`), vLLM series by their `workspace` target label.
 * Cost is GPU-hours × the instance's hourly price ÷ its GPUs (server/catalog/gpu-prices.ts).
 */
export function buildFleet(
  workspaces: readonly FleetWorkspace[],
  results: Results,
  prices: Readonly<Record<string, number>>,
): Fleet {
  const byPod = (name: FleetQueryName) => {
    const map = new Map<string, number>();
    for (const s of results[name]) map.set(`${s.labels.namespace}/${s.labels.pod}`, value(s));
    return map;
  };
  const byWorkspace = (name: FleetQueryName) => {
    const map = new Map<string, number>();
    for (const s of results[name]) map.set(`${s.labels.namespace}/${s.labels.workspace}`, value(s));
    return map;
  };
  const gpus = byPod("gpus");
  const util = byPod("gpuUtil");
  const hours = byPod("gpuHours");
  const tokens = byWorkspace("outputTokens");
  const requests = byWorkspace("requests");
  const ttft = byWorkspace("ttftP95");
  const recent = byWorkspace("recentRequests");
  // Pods by the Workspace their name says they belong to (`<name>-<ordinal>`), built once.
  const podsOf = new Map<string, string[]>();
  for (const pod of new Set([...gpus.keys(), ...hours.keys()])) {
    const owner = /^(.+)-[0-9]+$/.exec(pod)?.[1];
    if (owner) podsOf.set(owner, [...(podsOf.get(owner) ?? []), pod]);
  }

  const rows = workspaces.map((ws): FleetRow => {
    const key = `${ws.namespace}/${ws.name}`;
    const mine = podsOf.get(key) ?? [];
    const count = sum(mine.map((p) => gpus.get(p) ?? 0));
    const utilised = mine.filter((p) => Number.isFinite(util.get(p)));
    const gpuUtil = utilised.length
      ? sum(utilised.map((p) => util.get(p)! * (gpus.get(p) ?? 1))) / sum(utilised.map((p) => gpus.get(p) ?? 1))
      : null;
    const gpuHours = sum(mine.map((p) => hours.get(p) ?? 0));
    const sku = findSku(ws.instanceType);
    const price = prices[ws.instanceType];
    const costUsd = price === undefined || !sku ? null : (gpuHours * price) / sku.gpuCount;
    const outputTokens = finite(tokens.get(key)) ?? 0;
    return {
      ...ws,
      gpus: count,
      gpuUtil,
      gpuHours,
      costUsd,
      outputTokens,
      costPerMillionOutputTokens: costUsd !== null && outputTokens > 0 ? (costUsd / outputTokens) * 1e6 : null,
      requests: finite(requests.get(key)) ?? 0,
      ttftP95Seconds: finite(ttft.get(key)) ?? null,
      idle: count > 0 && (finite(recent.get(key)) ?? 0) === 0,
    };
  });

  return {
    rows,
    byNamespace: group(rows, (r) => r.namespace),
    byModel: group(rows, (r) => r.model),
    totals: {
      gpus: sum(rows.map((r) => r.gpus)),
      gpuHours: sum(rows.map((r) => r.gpuHours)),
      costUsd: sum(rows.map((r) => r.costUsd ?? 0)),
      outputTokens: sum(rows.map((r) => r.outputTokens)),
      idleGpus: sum(rows.filter((r) => r.idle).map((r) => r.gpus)),
    },
    slowest: rows
      .filter((r) => r.ttftP95Seconds !== null)
      .sort((a, b) => b.ttftP95Seconds! - a.ttftP95Seconds!)
      .slice(0, 5),
    busiest: rows
      .filter((r) => r.requests > 0)
      .sort((a, b) => b.requests - a.requests)
      .slice(0, 5),
  };
}

function group(rows: FleetRow[], keyOf: (r: FleetRow) => string): FleetGroup[] {
  const groups = new Map<string, FleetRow[]>();
  for (const r of rows) {
    const members = groups.get(keyOf(r));
    if (members) members.push(r);
    else groups.set(keyOf(r), [r]);
  }
  return [...groups]
    .map(([key, members]) => {
      const measured = members.filter((m) => m.gpuUtil !== null && m.gpus > 0);
      const gpusMeasured = sum(measured.map((m) => m.gpus));
      return {
        key,
        workspaces: members.length,
        gpus: sum(members.map((m) => m.gpus)),
        gpuUtil: gpusMeasured ? sum(measured.map((m) => m.gpuUtil! * m.gpus)) / gpusMeasured : null,
        gpuHours: sum(members.map((m) => m.gpuHours)),
        costUsd: sum(members.map((m) => m.costUsd ?? 0)),
      };
    })
    .sort((a, b) => b.gpus - a.gpus || a.key.localeCompare(b.key));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function finite(v: number | undefined): number | undefined {
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}
