import "server-only";

import type { FleetRow } from "./build-fleet";

const COLUMNS: [header: string, cell: (r: FleetRow) => string | number | null][] = [
  ["namespace", (r) => r.namespace],
  ["workspace", (r) => r.name],
  ["model", (r) => r.model],
  ["instance_type", (r) => r.instanceType],
  ["gpus", (r) => r.gpus],
  ["gpu_util_percent", (r) => round(r.gpuUtil, 1)],
  ["gpu_hours", (r) => round(r.gpuHours, 3)],
  ["cost_usd", (r) => round(r.costUsd, 2)],
  ["output_tokens", (r) => Math.round(r.outputTokens)],
  ["cost_per_1m_output_tokens_usd", (r) => round(r.costPerMillionOutputTokens, 4)],
  ["requests", (r) => Math.round(r.requests)],
  ["ttft_p95_seconds", (r) => round(r.ttftP95Seconds, 3)],
  ["idle", (r) => (r.idle ? "true" : "false")],
];

/** The fleet table as CSV (RFC 4180), one row per Workspace. */
export function fleetCsv(rows: readonly FleetRow[]): string {
  const lines = [COLUMNS.map(([h]) => h).join(",")];
  for (const row of rows) lines.push(COLUMNS.map(([, cell]) => escape(cell(row))).join(","));
  return lines.join("\r\n") + "\r\n";
}

function round(v: number | null, digits: number): number | null {
  return v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;
}

function escape(v: string | number | null): string {
  if (v === null) return "";
  const text = String(v);
  // A leading =, +, - or @ would be a formula in a spreadsheet; names here cannot start so, but models could.
  const safe = /^[=+\-@]/.test(text) && typeof v === "string" ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
