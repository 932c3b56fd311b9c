"use client";

import { useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useDeferredValue, useEffect, useMemo, useRef, useState } from "react";

import type { WorkspaceRow } from "@/server/workspaces/summarize-workspace";

import { formatAge } from "./format-age";
import { ConditionCell, StateBadge } from "./status-badge";
import { useWorkspaceStream, workspacesQueryKey, type RowMap } from "./use-workspace-stream";

const COLUMNS =
  "grid grid-cols-[minmax(9rem,2fr)_minmax(5rem,1fr)_minmax(9rem,1.5fr)_4.5rem_4.5rem_3.5rem_4.5rem_3rem_5rem_minmax(8rem,1.5fr)_2.5rem_3rem] gap-x-3 items-center";
const ROW_HEIGHT = 40;

type Props = { initialRows: WorkspaceRow[]; initialTotal: number; canWrite: boolean };

export function WorkspaceList({ initialRows, initialTotal, canWrite }: Props) {
  const { data: rows } = useQuery<RowMap>({
    queryKey: workspacesQueryKey,
    queryFn: () => new Map(),
    initialData: () => new Map(initialRows.map((r) => [r.key, r])),
    enabled: false,
  });
  const connection = useWorkspaceStream();
  const [search, setSearch] = useState("");
  const [state, setState] = useState("");
  const [namespace, setNamespace] = useState("");
  const query = useDeferredValue(search.trim().toLowerCase());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  const all = useMemo(() => [...(rows ?? new Map()).values()], [rows]);
  const namespaces = useMemo(() => [...new Set(all.map((r) => r.namespace))].sort(), [all]);
  const states = useMemo(() => [...new Set(all.map((r) => r.state))].sort(), [all]);
  const visible = useMemo(
    () =>
      all
        .filter(
          (r) =>
            (!state || r.state === state) &&
            (!namespace || r.namespace === namespace) &&
            (!query ||
              r.name.includes(query) ||
              r.model.toLowerCase().includes(query) ||
              r.instanceType.toLowerCase().includes(query)),
        )
        .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)),
    [all, state, namespace, query],
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <input
          type="search"
          aria-label="Search workspaces"
          placeholder="Search name, model, instance type…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="w-72 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
        <select
          aria-label="Filter by state"
          value={state}
          onChange={(e) => setState(e.target.value)}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          <option value="">All states</option>
          {states.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select
          aria-label="Filter by namespace"
          value={namespace}
          onChange={(e) => setNamespace(e.target.value)}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          <option value="">All namespaces</option>
          {namespaces.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
        <span className="text-sm text-zinc-500" data-testid="workspace-count">
          {connection === "live" ? `${visible.length} of ${all.length}` : `${initialTotal} workspaces`}
        </span>
        <span
          className={`ml-auto flex items-center gap-1.5 text-xs ${connection === "live" ? "text-emerald-700 dark:text-emerald-400" : "text-amber-700"}`}
          data-testid="stream-status"
        >
          <span className={`h-2 w-2 rounded-full ${connection === "live" ? "bg-emerald-500" : "bg-amber-500"}`} />
          {connection === "live" ? "Live" : "Connecting…"}
        </span>
        {canWrite ? (
          <Link
            href="/workspaces/new"
            className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-700"
          >
            Create workspace
          </Link>
        ) : null}
      </div>

      <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <div className="min-w-[66rem]">
          <div
            className={`${COLUMNS} border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:bg-zinc-900`}
            role="row"
          >
            <span>Name</span>
            <span>Namespace</span>
            <span>Instance</span>
            <span title="RESOURCEREADY">Resource</span>
            <span title="INFERENCEREADY">Inference</span>
            <span title="JOBSTARTED">Job</span>
            <span title="WORKSPACESUCCEEDED">Succeeded</span>
            <span title="TARGETNODECOUNT">Nodes</span>
            <span>State</span>
            <span>Model</span>
            <span>GPUs</span>
            <span>Age</span>
          </div>
          <div
            ref={scrollRef}
            className="h-[calc(100vh-16rem)] min-h-64 overflow-y-auto"
            role="table"
            aria-label="Workspaces"
          >
            {visible.length === 0 ? (
              <p className="p-6 text-sm text-zinc-500">
                {all.length === 0 ? "No workspaces yet." : "No workspace matches these filters."}
              </p>
            ) : (
              <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
                {virtualizer.getVirtualItems().map((item) => {
                  const row = visible[item.index];
                  return (
                    <div
                      key={row.key}
                      role="row"
                      data-testid={`workspace-row-${row.namespace}-${row.name}`}
                      className={`${COLUMNS} absolute inset-x-0 border-b border-zinc-100 px-3 text-sm hover:bg-zinc-50 dark:border-zinc-800/60 dark:hover:bg-zinc-900`}
                      style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                    >
                      <Link
                        href={`/workspaces/${row.namespace}/${row.name}`}
                        className="truncate font-medium text-blue-700 hover:underline dark:text-blue-400"
                      >
                        {row.name}
                      </Link>
                      <span className="truncate text-zinc-600 dark:text-zinc-400">{row.namespace}</span>
                      <span className="truncate font-mono text-xs">{row.instanceType}</span>
                      <ConditionCell status={row.resourceReady} />
                      <ConditionCell status={row.inferenceReady} />
                      <ConditionCell status={row.jobStarted} />
                      <ConditionCell status={row.workspaceSucceeded} />
                      <span>{row.targetNodeCount ?? "–"}</span>
                      <span data-testid="workspace-state">
                        <StateBadge state={row.state} />
                      </span>
                      <span className="truncate" title={row.model}>
                        {row.model}
                      </span>
                      <span>{row.gpus ?? "?"}</span>
                      <span className="text-zinc-500">{formatAge(row.createdAt, now)}</span>
                    </div>
                  );
                })}
              </div>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
