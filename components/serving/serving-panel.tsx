"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import type { ServingMetrics } from "@/server/metrics/get-serving-metrics";

import { ServingChart } from "./serving-chart";

const WINDOWS = [
  { id: "15m", label: "15 min", refreshMs: 5_000 },
  { id: "1h", label: "1 h", refreshMs: 15_000 },
  { id: "24h", label: "24 h", refreshMs: 60_000 },
  { id: "7d", label: "7 d", refreshMs: 300_000 },
] as const;
type WindowId = (typeof WINDOWS)[number]["id"];

class MetricsError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * How the Workspace's model serves (or an InferenceSet's, replica by replica), from the cluster's
 * Prometheus: queue, latency, throughput, KV cache and its GPUs, over a chosen window, refreshed
 * in place. Without Prometheus it says so and the rest of the page is untouched.
 */
export function ServingPanel({
  namespace,
  name,
  kind = "workspaces",
}: {
  namespace: string;
  name: string;
  /** An InferenceSet's panel draws a line per child Workspace. */
  kind?: "workspaces" | "inferencesets";
}) {
  const [timeWindow, setTimeWindow] = useState<WindowId>("15m");
  const refreshMs = WINDOWS.find((w) => w.id === timeWindow)!.refreshMs;
  const { data, error, isPending } = useQuery<ServingMetrics, MetricsError>({
    queryKey: ["serving-metrics", kind, namespace, name, timeWindow],
    refetchInterval: refreshMs,
    // A down Prometheus is retried by the interval, not by a burst of retries.
    retry: false,
    placeholderData: (previous) => (previous?.window === timeWindow ? previous : undefined),
    queryFn: async () => {
      const response = await fetch(`/api/metrics/${kind}/${namespace}/${name}?window=${timeWindow}`);
      const body = await response.json().catch(() => null);
      if (!response.ok)
        throw new MetricsError(
          body?.error?.message ?? `The metrics request failed (HTTP ${response.status})`,
          response.status,
        );
      return body as ServingMetrics;
    },
  });

  return (
    <section className="flex flex-col gap-2" data-testid="serving-panel" aria-labelledby="serving-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="serving-heading" className="text-sm font-semibold tracking-wide text-zinc-500 uppercase">
          Serving
        </h2>
        <div role="group" aria-label="Time window" className="flex gap-1">
          {WINDOWS.map((w) => (
            <button
              key={w.id}
              type="button"
              aria-pressed={timeWindow === w.id}
              onClick={() => setTimeWindow(w.id)}
              className={`rounded px-2 py-0.5 text-xs ${
                timeWindow === w.id
                  ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                  : "border border-zinc-300 text-zinc-700 dark:border-zinc-700 dark:text-zinc-300"
              }`}
            >
              {w.label}
            </button>
          ))}
        </div>
      </div>
      {error && !data ? (
        <p
          role="status"
          data-testid="serving-unavailable"
          className="rounded-md border border-zinc-200 p-3 text-sm text-zinc-700 dark:border-zinc-800 dark:text-zinc-300"
        >
          {error.status === 503 ? error.message : `Metrics unavailable: ${error.message}`}
        </p>
      ) : isPending && !data ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading metrics…</p>
      ) : data ? (
        <>
          {error ? (
            <p role="status" className="text-xs text-amber-800 dark:text-amber-300">
              Showing the last figures: {error.message}
            </p>
          ) : null}
          <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
            {data.charts.map((chart) => (
              <ServingChart key={chart.id} chart={chart} start={data.range.start} end={data.range.end} />
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}
