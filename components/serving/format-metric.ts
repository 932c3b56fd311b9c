import type { ChartUnit } from "@/server/metrics/serving-charts";

/** A chart's figure as people read it: 152 ms, 43 %, 7.1 GiB, 120 tok/s. */
export function formatMetric(value: number | null | undefined, unit: ChartUnit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  switch (unit) {
    case "seconds":
      return value < 1 ? `${Math.round(value * 1000)} ms` : `${value.toFixed(2)} s`;
    case "ratio":
      return `${Math.round(value * 100)} %`;
    case "percent":
      return `${Math.round(value)} %`;
    case "MiB":
      return value >= 1024 ? `${(value / 1024).toFixed(1)} GiB` : `${Math.round(value)} MiB`;
    case "tokens/s":
      return `${value < 10 ? value.toFixed(1) : Math.round(value)} tok/s`;
    case "requests":
      return String(Math.round(value));
  }
}
