import { describe, expect, it } from "vitest";

import type { WorkspaceRow } from "@/server/workspaces/summarize-workspace";

import { applyListQuery, DEFAULT_QUERY, listQueryString, parseListQuery } from "./workspace-list-query";

function row(name: string, patch: Partial<WorkspaceRow> = {}): WorkspaceRow {
  return {
    key: `ns/${name}`,
    namespace: "ns",
    name,
    instanceType: "Standard_NC6s_v3",
    resourceReady: "",
    inferenceReady: "",
    jobStarted: "",
    workspaceSucceeded: "",
    targetNodeCount: 1,
    state: "Ready",
    problem: null,
    model: "phi-3-mini-4k-instruct",
    mode: "inference",
    gpus: 1,
    createdAt: "2026-12-04T10:00:00Z",
    deleting: false,
    resourceVersion: "1",
    peakTokensPerMinute: null,
    ...patch,
  };
}

describe("the list's URL state", () => {
  it("round-trips filters and sort through the query string", () => {
    const query = { q: "phi", state: "Stuck", ns: "team-a", sort: "age" as const, dir: "desc" as const };
    const back = parseListQuery(Object.fromEntries(new URLSearchParams(listQueryString(query))));
    expect(back).toEqual(query);
  });

  it("keeps the plain list's URL plain and ignores an unknown sort", () => {
    expect(listQueryString(DEFAULT_QUERY)).toBe("");
    expect(parseListQuery({ sort: "bogus", dir: "sideways" })).toEqual(DEFAULT_QUERY);
  });
});

describe("applyListQuery", () => {
  const stuck = row("b-stuck", {
    state: "Running",
    problem: { kind: "stuck", label: "Stuck", reason: "Unschedulable", message: "" },
  });
  const rows = [row("c-ready"), stuck, row("a-pending", { state: "Pending", createdAt: "2026-12-04T11:00:00Z" })];

  it("filters on the state the badge shows, not the one that hides the problem", () => {
    expect(applyListQuery(rows, { ...DEFAULT_QUERY, state: "Stuck" }).map((r) => r.name)).toEqual(["b-stuck"]);
    expect(applyListQuery(rows, { ...DEFAULT_QUERY, state: "Running" })).toEqual([]);
  });

  it("sorts by state worst first, and the other way round", () => {
    expect(applyListQuery(rows, { ...DEFAULT_QUERY, sort: "state" }).map((r) => r.name)).toEqual([
      "b-stuck",
      "a-pending",
      "c-ready",
    ]);
    expect(applyListQuery(rows, { ...DEFAULT_QUERY, sort: "state", dir: "desc" }).map((r) => r.name)[0]).toBe(
      "c-ready",
    );
  });

  it("sorts by age youngest first", () => {
    expect(applyListQuery(rows, { ...DEFAULT_QUERY, sort: "age" })[0].name).toBe("a-pending");
  });
});
