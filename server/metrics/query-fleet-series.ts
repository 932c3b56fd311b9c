import "server-only";

import { fleetQueries, type FleetQueryName } from "./fleet-queries";
import { periodRecords } from "./fleet-recording-rules";
import type { PrometheusClient, Series } from "./prometheus-client";
import type { TimeWindow } from "./time-windows";

const CHECK_EVERY_MS = 5 * 60_000;
const checked = new WeakMap<PrometheusClient, { recorded: boolean; atMs: number }>();

/**
 * Whether this Prometheus holds the fleet's recorded series (its rules are loaded, or a ruler
 * writes them to it): any point of the 7 d records, the group's last rules, in the last two hours. Asked at most every 5 minutes
 * per client, so that installing the rules takes effect without a restart.
 */
export async function hasFleetRecords(prometheus: PrometheusClient, at: number, nowMs = Date.now()): Promise<boolean> {
  const known = checked.get(prometheus);
  if (known && nowMs - known.atMs < CHECK_EVERY_MS) return known.recorded;
  const week = periodRecords("7d");
  const probe = [week.gpuHours.record, week.requests.record]
    .map((record) => `count(last_over_time(${record}[2h]))`)
    .join(" or ");
  const recorded = (await prometheus.instant(probe, at)).length > 0;
  checked.set(prometheus, { recorded, atMs: nowMs });
  return recorded;
}

export type FleetSeries = {
  queries: Record<FleetQueryName, string>;
  results: Record<FleetQueryName, Series[]>;
  recorded: boolean;
};

/** The fleet's queries at `at`, from the recorded series where Prometheus has them. */
export async function queryFleetSeries(
  prometheus: PrometheusClient,
  input: { period: TimeWindow; idleHours: number },
  at: number,
  only?: readonly FleetQueryName[],
): Promise<FleetSeries> {
  const recorded = await hasFleetRecords(prometheus, at);
  const queries = fleetQueries(input.period, input.idleHours, recorded);
  const names = only ?? (Object.keys(queries) as FleetQueryName[]);
  const answers = await Promise.all(names.map((n) => prometheus.instant(queries[n], at)));
  const results = Object.fromEntries(
    (Object.keys(queries) as FleetQueryName[]).map((n) => [n, answers[names.indexOf(n)] ?? []]),
  ) as Record<FleetQueryName, Series[]>;
  return { queries, results, recorded };
}
