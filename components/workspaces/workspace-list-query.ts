import type { WorkspaceRow } from "@/server/workspaces/summarize-workspace";

import { shownState } from "./status-badge";

export const SORT_KEYS = ["name", "namespace", "instance", "state", "model", "gpus", "age"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** The list's filters and sort: what the URL keeps, so a view can be reloaded, shared and bookmarked. */
export type ListQuery = { q: string; state: string; ns: string; sort: SortKey; dir: "asc" | "desc" };

export const DEFAULT_QUERY: ListQuery = { q: "", state: "", ns: "", sort: "namespace", dir: "asc" };

type Params = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : "");

export function parseListQuery(params: Params): ListQuery {
  const sort = one(params.sort) as SortKey;
  return {
    q: one(params.q),
    state: one(params.state),
    ns: one(params.ns),
    sort: SORT_KEYS.includes(sort) ? sort : DEFAULT_QUERY.sort,
    dir: one(params.dir) === "desc" ? "desc" : "asc",
  };
}

/** Only what differs from the default, so the plain list keeps its plain URL. */
export function listQueryString(query: ListQuery): string {
  const params = new URLSearchParams();
  for (const key of ["q", "state", "ns", "sort", "dir"] as const)
    if (query[key] !== DEFAULT_QUERY[key]) params.set(key, query[key]);
  const s = params.toString();
  return s ? `?${s}` : "";
}

// Worst first, so that sorting by state puts what needs attention at the top.
const STATE_RANK = ["Failed", "Invalid", "Stuck", "NotReady", "Pending", "Running", "Ready", "Succeeded", "Deleting"];
const rank = (row: WorkspaceRow) => {
  const i = STATE_RANK.indexOf(row.deleting ? "Deleting" : shownState(row.state, row.problem));
  return i === -1 ? STATE_RANK.length : i;
};

const COMPARE: Record<SortKey, (a: WorkspaceRow, b: WorkspaceRow) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  namespace: (a, b) => a.namespace.localeCompare(b.namespace),
  instance: (a, b) => a.instanceType.localeCompare(b.instanceType),
  state: (a, b) => rank(a) - rank(b),
  model: (a, b) => a.model.localeCompare(b.model),
  gpus: (a, b) => (a.gpus ?? -1) - (b.gpus ?? -1),
  // Youngest first when ascending, as `kubectl get --sort-by` on age reads.
  age: (a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""),
};

export function applyListQuery(rows: WorkspaceRow[], query: ListQuery): WorkspaceRow[] {
  const q = query.q.trim().toLowerCase();
  const sign = query.dir === "desc" ? -1 : 1;
  return rows
    .filter(
      (r) =>
        (!query.state || shownState(r.state, r.problem) === query.state) &&
        (!query.ns || r.namespace === query.ns) &&
        (!q || r.name.includes(q) || r.model.toLowerCase().includes(q) || r.instanceType.toLowerCase().includes(q)),
    )
    .sort(
      (a, b) =>
        sign * COMPARE[query.sort](a, b) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
    );
}
