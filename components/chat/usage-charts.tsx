import type { WorkspaceUsage } from "@/server/inference/get-workspace-usage";

const WIDTH = 320;
const HEIGHT = 96;

type Series = { label: string; values: (number | null)[]; className: string };

function scale(series: Series[]): number {
  return Math.max(1, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
}

function timeLabel(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function Chart({
  title,
  unit,
  series,
  kind,
  starts,
}: {
  title: string;
  unit: string;
  series: Series[];
  kind: "bar" | "line";
  starts: string[];
}) {
  const max = scale(series);
  const n = starts.length;
  const step = WIDTH / Math.max(1, n);
  const y = (v: number) => HEIGHT - (v / max) * (HEIGHT - 4);
  return (
    <figure className="flex flex-col gap-1 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <figcaption className="flex items-baseline justify-between text-sm font-medium">
        {title}
        <span className="text-xs font-normal text-zinc-500">
          max {Math.round(max)} {unit}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-24 w-full" role="img" aria-label={`${title} over time`}>
        {kind === "bar"
          ? series.map((s, si) =>
              s.values.map((v, i) =>
                v ? (
                  <rect
                    key={`${si}-${i}`}
                    x={i * step + (si * step) / series.length + 0.5}
                    width={Math.max(1, step / series.length - 1)}
                    y={y(v)}
                    height={HEIGHT - y(v)}
                    className={s.className}
                  >
                    <title>{`${timeLabel(starts[i])}: ${v} ${s.label}`}</title>
                  </rect>
                ) : null,
              ),
            )
          : series.map((s) => (
              <polyline
                key={s.label}
                fill="none"
                strokeWidth={1.5}
                className={s.className}
                points={s.values.flatMap((v, i) => (v === null ? [] : [`${i * step + step / 2},${y(v)}`])).join(" ")}
              />
            ))}
      </svg>
      <div className="flex justify-between text-[10px] text-zinc-500">
        <span>{starts[0] ? timeLabel(starts[0]) : ""}</span>
        <span className="flex gap-2">
          {series.map((s) => (
            <span key={s.label}>■ {s.label}</span>
          ))}
        </span>
        <span>now</span>
      </div>
    </figure>
  );
}

/** Requests, tokens and latency percentiles through the inference proxy, from `getWorkspaceUsage`. */
export function UsageCharts({ usage }: { usage: WorkspaceUsage }) {
  const starts = usage.buckets.map((b) => b.start);
  const pick = (f: (b: WorkspaceUsage["buckets"][number]) => number | null) => usage.buckets.map(f);
  if (usage.totals.requests === 0)
    return (
      <p className="text-sm text-zinc-500" data-testid="usage-empty">
        No inference requests through the dashboard since {new Date(usage.since).toLocaleString()}.
      </p>
    );
  return (
    <section aria-label="Inference usage" className="flex flex-col gap-2" data-testid="usage-charts">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {usage.totals.requests} requests ({usage.totals.errors} failed), {usage.totals.completionTokens} tokens
        generated since {new Date(usage.since).toLocaleString()} — {usage.bucketMinutes}-minute buckets.
      </p>
      <div className="grid gap-3 md:grid-cols-3">
        <Chart
          title="Requests"
          unit="req"
          kind="bar"
          starts={starts}
          series={[
            { label: "requests", values: pick((b) => b.requests), className: "fill-blue-500" },
            { label: "errors", values: pick((b) => b.errors), className: "fill-red-500" },
          ]}
        />
        <Chart
          title="Tokens"
          unit="tokens"
          kind="bar"
          starts={starts}
          series={[
            { label: "prompt", values: pick((b) => b.promptTokens), className: "fill-zinc-400" },
            { label: "completion", values: pick((b) => b.completionTokens), className: "fill-emerald-500" },
          ]}
        />
        <Chart
          title="Time to first token"
          unit="ms"
          kind="line"
          starts={starts}
          series={[
            { label: "p50", values: pick((b) => b.ttftP50), className: "stroke-blue-500" },
            { label: "p95", values: pick((b) => b.ttftP95), className: "stroke-amber-500" },
          ]}
        />
      </div>
    </section>
  );
}
