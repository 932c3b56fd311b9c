"use client";

import { useEffect, useState } from "react";

import { formatDuration } from "@/components/workspaces/format-age";
import type { TimelinePhase } from "@/server/workspaces/workspace-detail-types";

const ROW = 30;
const LABEL_WIDTH = 150;
const DURATION_WIDTH = 80;
const WIDTH = 760;
const COLORS = { done: "#2563eb", running: "#f59e0b", failed: "#dc2626" } as const;

/**
 * The provisioning and readiness phases as a Gantt chart: one bar per phase, placed on a
 * shared time axis, with its duration. Phases still running grow with the clock.
 */
export function TimelineChart({ phases, testIdPrefix = "phase" }: { phases: TimelinePhase[]; testIdPrefix?: string }) {
  const [now, setNow] = useState(() => Date.now());
  const running = phases.some((p) => !p.end);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);

  if (phases.length === 0) return <p className="text-sm text-zinc-500">No phase has started yet.</p>;
  const start = Math.min(...phases.map((p) => Date.parse(p.start)));
  const end = Math.max(...phases.map((p) => (p.end ? Date.parse(p.end) : now)), start + 1000);
  const span = end - start;
  const plot = WIDTH - LABEL_WIDTH - DURATION_WIDTH;
  const x = (t: number) => LABEL_WIDTH + ((t - start) / span) * plot;
  const height = phases.length * ROW + 24;

  return (
    <figure className="flex flex-col gap-1">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        className="w-full max-w-4xl"
        role="img"
        aria-label="Provisioning timeline"
        data-testid="timeline-chart"
      >
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <g key={f}>
            <line
              x1={LABEL_WIDTH + f * plot}
              x2={LABEL_WIDTH + f * plot}
              y1={0}
              y2={phases.length * ROW}
              className="stroke-zinc-200 dark:stroke-zinc-800"
            />
            <text
              x={LABEL_WIDTH + f * plot}
              y={phases.length * ROW + 16}
              textAnchor="middle"
              className="fill-zinc-500 text-[10px]"
            >
              +{formatDuration(f * span)}
            </text>
          </g>
        ))}
        {phases.map((phase, i) => {
          const from = Date.parse(phase.start);
          const to = phase.end ? Date.parse(phase.end) : now;
          const barX = x(from);
          const barWidth = Math.max(3, x(to) - barX);
          const y = i * ROW;
          return (
            <g key={phase.id} data-testid={`${testIdPrefix}-${phase.id}`} data-status={phase.status}>
              <title>{`${phase.label}: ${formatDuration(to - from)}${phase.detail ? ` — ${phase.detail}` : ""}`}</title>
              <text x={0} y={y + ROW / 2 + 4} className="fill-zinc-700 text-[12px] dark:fill-zinc-300">
                {phase.label}
              </text>
              <rect
                x={barX}
                y={y + 7}
                width={barWidth}
                height={ROW - 14}
                rx={3}
                fill={COLORS[phase.status]}
                opacity={phase.status === "running" ? 0.75 : 1}
              >
                {phase.status === "running" ? (
                  <animate attributeName="opacity" values="0.45;0.9;0.45" dur="1.6s" repeatCount="indefinite" />
                ) : null}
              </rect>
              <text
                x={WIDTH - DURATION_WIDTH + 8}
                y={y + ROW / 2 + 4}
                className="fill-zinc-600 text-[12px] tabular-nums dark:fill-zinc-400"
              >
                {formatDuration(to - from)}
                {phase.status === "running" ? "…" : phase.status === "failed" ? " ✗" : ""}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="text-xs text-zinc-500">
        Total {formatDuration(span)} · <span style={{ color: COLORS.done }}>■</span> done{" "}
        <span style={{ color: COLORS.running }}>■</span> in progress <span style={{ color: COLORS.failed }}>■</span>{" "}
        failed
      </figcaption>
    </figure>
  );
}
