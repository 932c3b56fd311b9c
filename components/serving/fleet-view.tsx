import Link from "next/link";

import { Badge } from "@/components/ui/badge";
import { Td, Th } from "@/components/ui/table";
import type { FleetGroup, FleetRow } from "@/server/metrics/build-fleet";
import type { FleetView as Fleet } from "@/server/metrics/get-fleet";
import type { TimeWindow } from "@/server/metrics/time-windows";

import { formatMetric } from "./format-metric";

const PERIODS: { id: TimeWindow; label: string }[] = [
  { id: "15m", label: "15 min" },
  { id: "1h", label: "1 h" },
  { id: "24h", label: "24 h" },
  { id: "7d", label: "7 d" },
];

const usd = (v: number | null) =>
  v === null ? "–" : `$${v < 10 ? v.toFixed(2) : Math.round(v).toLocaleString("en-US")}`;
const hours = (v: number) => (v < 1 ? v.toFixed(2) : v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString("en-US"));
const util = (v: number | null) => formatMetric(v, "percent");

/** GPUs, their use and their cost across the Workspaces the person may see, from Prometheus. */
export function FleetView({
  period,
  idleHours,
  fleet,
  problem,
}: {
  period: TimeWindow;
  idleHours: number;
  fleet: Fleet | null;
  problem: string | null;
}) {
  const query = (p: TimeWindow) => `/fleet?${new URLSearchParams({ period: p, idleHours: String(idleHours) })}`;
  const exportHref = `/api/metrics/fleet?${new URLSearchParams({ period, idleHours: String(idleHours), format: "csv" })}`;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Fleet</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            GPUs, their use and their cost per namespace, model and Workspace — from Prometheus (DCGM exporter and vLLM
            series), priced with the GPU price table.
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <nav aria-label="Period" className="flex gap-1">
            {PERIODS.map((p) => (
              <Link
                key={p.id}
                href={query(p.id)}
                aria-current={p.id === period ? "page" : undefined}
                className={`rounded px-2 py-0.5 text-xs ${
                  p.id === period
                    ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                    : "border border-zinc-300 text-zinc-700 dark:border-zinc-700 dark:text-zinc-300"
                }`}
              >
                {p.label}
              </Link>
            ))}
          </nav>
          {fleet ? (
            <a
              href={exportHref}
              download
              className="rounded-md border border-zinc-300 px-3 py-1.5 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
            >
              Export CSV
            </a>
          ) : null}
        </div>
      </div>

      {problem || !fleet ? (
        <p
          role="status"
          data-testid="fleet-unavailable"
          className="rounded-md border border-zinc-200 p-3 text-sm text-zinc-700 dark:border-zinc-800 dark:text-zinc-300"
        >
          {problem}
        </p>
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 md:grid-cols-5" data-testid="fleet-totals">
            <Figure label="GPUs allocated" value={String(fleet.totals.gpus)} />
            <Figure label={`GPU-hours (${period})`} value={hours(fleet.totals.gpuHours)} />
            <Figure label={`Cost (${period})`} value={usd(fleet.totals.costUsd)} />
            <Figure label="Output tokens" value={Math.round(fleet.totals.outputTokens).toLocaleString("en-US")} />
            <Figure label={`Idle GPUs (no request in ${idleHours} h)`} value={String(fleet.totals.idleGpus)} />
          </dl>
          {fleet.recordedAt !== null ? (
            <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="fleet-recorded-at">
              GPU-hours, cost, use, tokens, requests and TTFT over {period} end at{" "}
              {new Date(fleet.recordedAt * 1000).toISOString().slice(11, 16)} UTC, the last hourly evaluation of the
              fleet&apos;s recording rules; GPUs allocated and idle flags are live.
            </p>
          ) : null}
          <div className="grid gap-6 lg:grid-cols-2">
            <Groups title="By namespace" groups={fleet.byNamespace} testId="fleet-by-namespace" />
            <Groups title="By model" groups={fleet.byModel} testId="fleet-by-model" />
          </div>
          <div className="grid gap-6 lg:grid-cols-2">
            <Ranking
              title="Slowest by time to first token (p95)"
              rows={fleet.slowest}
              figure={(r) => formatMetric(r.ttftP95Seconds, "seconds")}
              testId="fleet-slowest"
            />
            <Ranking
              title="Busiest by requests"
              rows={fleet.busiest}
              figure={(r) => Math.round(r.requests).toLocaleString("en-US")}
              testId="fleet-busiest"
            />
          </div>
          <section className="flex flex-col gap-2">
            <h2 className="text-sm font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">
              Workspaces
            </h2>
            <ScrollTable label="Workspaces" testId="fleet-workspaces">
              <thead>
                <tr>
                  <Th>Workspace</Th>
                  <Th>Model</Th>
                  <Th className="text-right">GPUs</Th>
                  <Th className="text-right">GPU use</Th>
                  <Th className="text-right">GPU-hours</Th>
                  <Th className="text-right">Cost</Th>
                  <Th className="text-right">Output tokens</Th>
                  <Th className="text-right">Cost / 1M output tokens</Th>
                  <Th className="text-right">TTFT p95</Th>
                </tr>
              </thead>
              <tbody>
                {fleet.rows.map((r) => (
                  <tr key={`${r.namespace}/${r.name}`} data-testid={`fleet-row-${r.namespace}-${r.name}`}>
                    <Td>
                      <Link href={`/workspaces/${r.namespace}/${r.name}`} className="font-medium hover:underline">
                        {r.namespace}/{r.name}
                      </Link>{" "}
                      {r.idle ? <Badge tone="warning">Idle</Badge> : null}
                    </Td>
                    <Td>{r.model}</Td>
                    <Td className="text-right tabular-nums">{r.gpus}</Td>
                    <Td className="text-right tabular-nums">{util(r.gpuUtil)}</Td>
                    <Td className="text-right tabular-nums">{hours(r.gpuHours)}</Td>
                    <Td className="text-right tabular-nums">{usd(r.costUsd)}</Td>
                    <Td className="text-right tabular-nums">{Math.round(r.outputTokens).toLocaleString("en-US")}</Td>
                    <Td className="text-right tabular-nums" data-testid="fleet-cost-per-million">
                      {usd(r.costPerMillionOutputTokens)}
                    </Td>
                    <Td className="text-right tabular-nums">{formatMetric(r.ttftP95Seconds, "seconds")}</Td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          </section>
          <details className="text-xs text-zinc-700 dark:text-zinc-300">
            <summary className="cursor-pointer">PromQL behind this page</summary>
            <pre className="mt-2 overflow-x-auto rounded bg-zinc-100 p-2 whitespace-pre-wrap dark:bg-zinc-900">
              {Object.entries(fleet.queries)
                .map(([k, q]) => `# ${k}\n${q}`)
                .join("\n\n")}
            </pre>
          </details>
        </>
      )}
    </div>
  );
}

/** A table that scrolls sideways on narrow screens: a named, focusable region so keyboards can scroll it too. */
function ScrollTable({ label, testId, children }: { label: string; testId: string; children: React.ReactNode }) {
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800"
    >
      <table className="w-full border-collapse text-left text-sm" data-testid={testId}>
        {children}
      </table>
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <dt className="text-xs text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="text-xl font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

function Groups({ title, groups, testId }: { title: string; groups: FleetGroup[]; testId: string }) {
  return (
    <section className="flex flex-col gap-2">
      <h2 className="text-sm font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">{title}</h2>
      <ScrollTable label={title} testId={testId}>
        <thead>
          <tr>
            <Th>{title === "By model" ? "Model" : "Namespace"}</Th>
            <Th className="text-right">Workspaces</Th>
            <Th className="text-right">GPUs allocated</Th>
            <Th className="text-right">GPU use</Th>
            <Th className="text-right">GPU-hours</Th>
            <Th className="text-right">Cost</Th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.key}>
              <Td>{g.key}</Td>
              <Td className="text-right tabular-nums">{g.workspaces}</Td>
              <Td className="text-right tabular-nums">{g.gpus}</Td>
              <Td className="text-right tabular-nums">{util(g.gpuUtil)}</Td>
              <Td className="text-right tabular-nums">{hours(g.gpuHours)}</Td>
              <Td className="text-right tabular-nums">{usd(g.costUsd)}</Td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </section>
  );
}

function Ranking({
  title,
  rows,
  figure,
  testId,
}: {
  title: string;
  rows: FleetRow[];
  figure: (r: FleetRow) => string;
  testId: string;
}) {
  return (
    <section className="flex flex-col gap-2" data-testid={testId}>
      <h2 className="text-sm font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">{title}</h2>
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No requests in this period.</p>
      ) : (
        <ol className="flex flex-col gap-1 text-sm">
          {rows.map((r) => (
            <li key={`${r.namespace}/${r.name}`} className="flex justify-between gap-2">
              <Link href={`/workspaces/${r.namespace}/${r.name}`} className="hover:underline">
                {r.namespace}/{r.name}
              </Link>
              <span className="tabular-nums">{figure(r)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
