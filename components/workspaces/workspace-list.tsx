"use client";

import { useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useDeferredValue, useEffect, useMemo, useRef, useState } from "react";

import { IdleBadge } from "@/components/serving/idle-badge";
import { useIdleWorkspaces } from "@/components/serving/use-idle-workspaces";
import type { WorkspaceRow } from "@/server/workspaces/summarize-workspace";

import { formatAge } from "./format-age";
import { ConditionCell, shownState, StateBadge } from "./status-badge";
import { useWorkspaceStream, workspacesQueryKey, type RowMap } from "./use-workspace-stream";
import { applyListQuery, listQueryString, type ListQuery, type SortKey } from "./workspace-list-query";

// State sits beside the name so that it stays on screen at 1024 px.
const COLUMNS =
  "grid grid-cols-[minmax(9rem,2fr)_5.5rem_minmax(5rem,1fr)_minmax(9rem,1.5fr)_4.5rem_4.5rem_3.5rem_4.5rem_3rem_minmax(8rem,1.5fr)_2.5rem_3rem] gap-x-3 items-center";
const ROW_HEIGHT = 40;

type Column = { label: string; sort?: SortKey; title?: string };
const HEADERS: Column[] = [
  { label: "Name", sort: "name" },
  { label: "State", sort: "state" },
  { label: "Namespace", sort: "namespace" },
  { label: "Instance", sort: "instance" },
  { label: "Resource", title: "RESOURCEREADY" },
  { label: "Inference", title: "INFERENCEREADY" },
  { label: "Job", title: "JOBSTARTED" },
  { label: "Succeeded", title: "WORKSPACESUCCEEDED" },
  { label: "Nodes", title: "TARGETNODECOUNT" },
  { label: "Model", sort: "model" },
  { label: "GPUs", sort: "gpus" },
  { label: "Age", sort: "age" },
];

type Props = { initialRows: WorkspaceRow[]; initialTotal: number; canWrite: boolean; initialQuery: ListQuery };

const selectClass =
  "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

export function WorkspaceList({ initialRows, initialTotal, canWrite, initialQuery }: Props) {
  const { data: rows } = useQuery<RowMap>({
    queryKey: workspacesQueryKey,
    queryFn: () => new Map(),
    initialData: () => new Map(initialRows.map((r) => [r.key, r])),
    enabled: false,
  });
  const connection = useWorkspaceStream();
  const idle = useIdleWorkspaces();
  const [query, setQuery] = useState(initialQuery);
  const deferredQuery = useDeferredValue(query);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  // Filters and sort live in the URL; replaceState keeps Next's router in step without a reload.
  useEffect(() => {
    const url = `${window.location.pathname}${listQueryString(query)}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", url);
  }, [query]);
  const change = (patch: Partial<ListQuery>) => setQuery((q) => ({ ...q, ...patch }));
  const sortBy = (key: SortKey) =>
    change({ sort: key, dir: query.sort === key && query.dir === "asc" ? "desc" : "asc" });

  const all = useMemo(() => [...(rows ?? new Map()).values()], [rows]);
  const namespaces = useMemo(() => [...new Set(all.map((r) => r.namespace))].sort(), [all]);
  const states = useMemo(
    () =>
      [...new Set([...all.map((r) => shownState(r.state, r.problem)), ...(query.state ? [query.state] : [])])].sort(),
    [all, query.state],
  );
  const visible = useMemo(() => applyListQuery(all, deferredQuery), [all, deferredQuery]);

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
          value={query.q}
          onChange={(e) => change({ q: e.target.value })}
          className="w-72 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
        <select
          aria-label="Filter by state"
          value={query.state}
          onChange={(e) => change({ state: e.target.value })}
          className={selectClass}
        >
          <option value="">All states</option>
          {states.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select
          aria-label="Filter by namespace"
          value={query.ns}
          onChange={(e) => change({ ns: e.target.value })}
          className={selectClass}
        >
          <option value="">All namespaces</option>
          {[...new Set([...namespaces, ...(query.ns ? [query.ns] : [])])].map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
        <span className="text-sm text-zinc-500" data-testid="workspace-count">
          {connection === "live"
            ? `${visible.length} of ${all.length}`
            : `${initialTotal} ${initialTotal === 1 ? "workspace" : "workspaces"}`}
        </span>
        <span
          className={`ml-auto flex items-center gap-1.5 text-xs ${connection === "live" ? "text-emerald-700 dark:text-emerald-400" : "text-amber-700"}`}
          data-testid="stream-status"
        >
          <span className={`h-2 w-2 rounded-full ${connection === "live" ? "bg-emerald-500" : "bg-amber-500"}`} />
          {connection === "live" ? "Live" : "Connecting…"}
        </span>
        {canWrite ? (
          <>
            <Link
              href="/workspaces/new?kind=InferenceSet"
              className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
            >
              Create InferenceSet
            </Link>
            <Link
              href="/workspaces/new"
              className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-700"
            >
              Create workspace
            </Link>
          </>
        ) : null}
      </div>

      <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <div className="min-w-[66rem]" role="table" aria-label="Workspaces" aria-rowcount={visible.length + 1}>
          <div role="rowgroup">
            <div
              className={`${COLUMNS} border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:bg-zinc-900`}
              role="row"
              aria-rowindex={1}
            >
              {HEADERS.map((h) => (
                <span
                  key={h.label}
                  role="columnheader"
                  title={h.title}
                  aria-sort={
                    h.sort && query.sort === h.sort ? (query.dir === "asc" ? "ascending" : "descending") : undefined
                  }
                >
                  {h.sort ? (
                    <button
                      type="button"
                      className="inline-flex items-center gap-0.5 uppercase hover:text-zinc-900 dark:hover:text-zinc-100"
                      onClick={() => sortBy(h.sort!)}
                    >
                      {h.label}
                      <span aria-hidden="true">{query.sort === h.sort ? (query.dir === "asc" ? "▲" : "▼") : ""}</span>
                    </button>
                  ) : (
                    h.label
                  )}
                </span>
              ))}
            </div>
          </div>
          <div ref={scrollRef} className="h-[calc(100vh-16rem)] min-h-64 overflow-y-auto" role="rowgroup">
            {visible.length === 0 ? (
              <div role="row">
                <p role="cell" className="p-6 text-sm text-zinc-500">
                  {all.length === 0 ? "No workspaces yet." : "No workspace matches these filters."}
                </p>
              </div>
            ) : (
              <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
                {virtualizer.getVirtualItems().map((item) => {
                  const row = visible[item.index];
                  return (
                    <div
                      key={row.key}
                      role="row"
                      aria-rowindex={item.index + 2}
                      data-testid={`workspace-row-${row.namespace}-${row.name}`}
                      className={`${COLUMNS} absolute inset-x-0 border-b border-zinc-100 px-3 text-sm hover:bg-zinc-50 dark:border-zinc-800/60 dark:hover:bg-zinc-900`}
                      style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                    >
                      <span role="cell" className="flex min-w-0 items-center">
                        <Link
                          href={`/workspaces/${row.namespace}/${row.name}`}
                          title={row.name}
                          className="truncate font-medium text-blue-700 hover:underline dark:text-blue-400"
                        >
                          {row.name}
                        </Link>
                        {idle.gpusOf(row.key) ? (
                          <IdleBadge gpus={idle.gpusOf(row.key)!} idleHours={idle.idleHours} />
                        ) : null}
                      </span>
                      <span role="cell" data-testid="workspace-state" className="truncate">
                        <StateBadge state={row.state} problem={row.problem} />
                      </span>
                      <span role="cell" className="truncate text-zinc-600 dark:text-zinc-400" title={row.namespace}>
                        {row.namespace}
                      </span>
                      <span role="cell" className="truncate font-mono text-xs" title={row.instanceType}>
                        {row.instanceType}
                      </span>
                      <span role="cell">
                        <ConditionCell status={row.resourceReady} />
                      </span>
                      <span role="cell">
                        <ConditionCell status={row.inferenceReady} />
                      </span>
                      <span role="cell">
                        <ConditionCell status={row.jobStarted} />
                      </span>
                      <span role="cell">
                        <ConditionCell status={row.workspaceSucceeded} />
                      </span>
                      <span role="cell">{row.targetNodeCount ?? "–"}</span>
                      <span role="cell" className="truncate" title={row.model}>
                        {row.model}
                      </span>
                      <span role="cell">{row.gpus ?? "?"}</span>
                      <span role="cell" className="text-zinc-500" title={row.createdAt ?? undefined}>
                        {formatAge(row.createdAt, now)}
                      </span>
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
