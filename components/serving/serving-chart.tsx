"use client";

import { useId, useState } from "react";

import type { ServingChart as Chart } from "@/server/metrics/get-serving-metrics";

import { formatMetric } from "./format-metric";

const WIDTH = 320;
const HEIGHT = 96;
const STROKES = ["stroke-blue-500", "stroke-amber-500", "stroke-emerald-500", "stroke-fuchsia-500", "stroke-zinc-500"];
const SWATCHES = ["text-blue-500", "text-amber-500", "text-emerald-500", "text-fuchsia-500", "text-zinc-500"];

/** One chart of the serving panel: lines over the window, the latest figures, its source and PromQL. */
export function ServingChart({ chart, start, end }: { chart: Chart; start: number; end: number }) {
  const [showQuery, setShowQuery] = useState(false);
  const queryId = useId();
  const values = chart.series.flatMap((s) => s.points.map(([, v]) => v).filter((v): v is number => v !== null));
  const max = Math.max(chart.unit === "percent" ? 100 : chart.unit === "ratio" ? 1 : 0, ...values, 1e-9);
  const x = (t: number) => ((t - start) / Math.max(1, end - start)) * WIDTH;
  const y = (v: number) => HEIGHT - 2 - (v / max) * (HEIGHT - 6);
  const latest = (points: [number, number | null][]) =>
    points
      .map(([, v]) => v)
      .filter((v): v is number => v !== null)
      .at(-1);

  return (
    <figure
      className="flex flex-col gap-1 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800"
      data-testid={`serving-chart-${chart.id}`}
    >
      <figcaption className="flex flex-col gap-0.5">
        <span className="text-sm font-medium">{chart.title}</span>
        <span className="text-xs text-zinc-600 dark:text-zinc-400">Source: {chart.source}</span>
      </figcaption>
      {chart.series.length === 0 ? (
        <p className="flex h-24 items-center justify-center text-xs text-zinc-600 dark:text-zinc-400">
          No data in this window
        </p>
      ) : (
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          className="h-24 w-full"
          role="img"
          aria-label={`${chart.title} over time`}
        >
          {chart.series.map((s, i) => {
            const drawn = s.points.filter((p): p is [number, number] => p[1] !== null);
            const last = drawn.at(-1);
            return (
              <g key={`${s.label}-${i}`} className={STROKES[i % STROKES.length]}>
                <polyline
                  fill="none"
                  strokeWidth={1.5}
                  points={drawn.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}
                />
                {/* The latest sample, visible even when the window holds a single one. */}
                {last ? <circle cx={x(last[0])} cy={y(last[1])} r={2} fill="none" strokeWidth={1.5} /> : null}
              </g>
            );
          })}
        </svg>
      )}
      <dl className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs">
        {chart.series.map((s, i) => (
          <div key={`${s.label}-${i}`} className="flex gap-1">
            <dt>
              <span aria-hidden className={SWATCHES[i % SWATCHES.length]}>
                ■
              </span>{" "}
              {s.label}
            </dt>
            <dd className="font-medium tabular-nums" data-testid={`serving-value-${chart.id}-${s.label}`}>
              {formatMetric(latest(s.points), chart.unit)}
            </dd>
          </div>
        ))}
      </dl>
      <button
        type="button"
        className="self-start text-xs text-blue-700 underline underline-offset-2 dark:text-blue-300"
        aria-expanded={showQuery}
        aria-controls={queryId}
        onClick={() => setShowQuery((v) => !v)}
      >
        {showQuery ? "Hide PromQL" : "Show PromQL"}
      </button>
      {showQuery ? (
        <pre
          id={queryId}
          className="overflow-x-auto rounded bg-zinc-100 p-2 text-[11px] whitespace-pre-wrap text-zinc-800 dark:bg-zinc-900 dark:text-zinc-200"
        >
          {chart.queries.map((q) => q.promql).join("\n")}
        </pre>
      ) : null}
    </figure>
  );
}
