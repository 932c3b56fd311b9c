import "server-only";

import { fleetQueries, type FleetQueryName } from "./fleet-queries";
import { FLEET_EVALUATED } from "./fleet-recording-rules";
import type { PrometheusClient, Series } from "./prometheus-client";
import type { TimeWindow } from "./time-windows";

/**
 * When the fleet's recording rules were last evaluated in this Prometheus (its rules are loaded,
 * or a ruler writes to it), in Unix seconds; null when not in the last two hours. One series, asked
 * on every view, so that installing the rules takes effect at once.
 */
export async function lastFleetEvaluation(prometheus: PrometheusClient, at: number): Promise<number | null> {
  const [marker] = await prometheus.instant(`last_over_time(${FLEET_EVALUATED.record}[2h])`, at);
  const seconds = marker?.points.at(-1)?.[1];
  return seconds !== undefined && Number.isFinite(seconds) ? seconds : null;
}

export type FleetSeries = {
  queries: Record<FleetQueryName, string>;
  results: Record<FleetQueryName, Series[]>;
  /** When the recorded figures end (the rules' last evaluation); null when read from raw series. */
  recordedAt: number | null;
};

/** The fleet's queries at `at`, from the recorded series where Prometheus has them. */
export async function queryFleetSeries(
  prometheus: PrometheusClient,
  input: { period: TimeWindow; idleHours: number },
  at: number,
  only?: readonly FleetQueryName[],
): Promise<FleetSeries> {
  const recordedAt = await lastFleetEvaluation(prometheus, at);
  const queries = fleetQueries(input.period, input.idleHours, recordedAt !== null);
  const names = only ?? (Object.keys(queries) as FleetQueryName[]);
  const answers = await Promise.all(names.map((n) => prometheus.instant(queries[n], at)));
  const results = Object.fromEntries(
    (Object.keys(queries) as FleetQueryName[]).map((n) => [n, answers[names.indexOf(n)] ?? []]),
  ) as Record<FleetQueryName, Series[]>;
  return { queries, results, recordedAt };
}
