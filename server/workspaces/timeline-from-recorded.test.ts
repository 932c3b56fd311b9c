import { describe, expect, it } from "vitest";

import type { TimelineRow } from "@/server/timeline/timeline-store";

import { timelineFromRecorded, timelineRunsFromRecorded } from "./timeline-from-recorded";

const row = (
  phase: TimelineRow["phase"],
  second: number,
  subject = "",
  extra: Partial<TimelineRow> = {},
): TimelineRow => ({
  workspaceUid: "u1",
  namespace: "default",
  name: "phi",
  phase,
  subject,
  severity: "Normal",
  occurredAt: `2026-01-01T00:00:${String(second).padStart(2, "0")}.000Z`,
  ...extra,
});

describe("timelineFromRecorded", () => {
  it("turns recorded transitions into consecutive bars", () => {
    const bars = timelineFromRecorded([
      row("Accepted", 0),
      row("NodeClaimCreated", 1, "ws1"),
      row("NodeClaimLaunched", 20, "ws1"),
      row("NodeClaimRegistered", 25, "ws1"),
      row("GpuCapacityReported", 30, "node1"),
      row("WorkloadCreated", 2),
      row("PodScheduled", 31, "phi-0"),
      row("ContainerStarted", 45, "phi-0"),
      row("PodReady", 58, "phi-0"),
    ]);
    expect(bars.map((b) => [b.id, b.start.slice(17, 19), b.end?.slice(17, 19), b.status])).toEqual([
      ["nodeclaim", "00", "01", "done"],
      ["launch", "01", "20", "done"],
      ["register", "20", "25", "done"],
      ["gpu", "25", "30", "done"],
      ["schedule", "30", "31", "done"],
      ["image", "31", "45", "done"],
      ["model", "45", "58", "done"],
    ]);
  });

  it("marks the phase in progress as failed with the recorded reason", () => {
    const bars = timelineFromRecorded([
      row("Accepted", 0),
      row("NodeClaimCreated", 1, "ws1"),
      row("Failed", 9, "ws1", {
        severity: "Warning",
        reason: "InsufficientCapacity",
        message: "all requested instance types were unavailable during launch",
      }),
    ]);
    expect(bars.at(-1)).toMatchObject({
      id: "launch",
      status: "failed",
      end: null,
      detail: "InsufficientCapacity: all requested instance types were unavailable during launch",
    });
  });

  it("skips the node phases when existing nodes are reused", () => {
    const bars = timelineFromRecorded([row("Accepted", 0), row("WorkloadCreated", 1), row("PodScheduled", 2, "phi-0")]);
    expect(bars.map((b) => b.id)).toEqual(["schedule", "image"]);
  });
});

describe("timelineRunsFromRecorded", () => {
  const at = (minute: number, second: number) =>
    `2026-01-01T00:${String(minute).padStart(2, "0")}:${String(second).padStart(2, "0")}.000Z`;
  const r = (phase: TimelineRow["phase"], minute: number, second: number, subject = "") =>
    row(phase, 0, subject, { occurredAt: at(minute, second) });
  const created = [
    r("Accepted", 0, 0),
    r("NodeClaimCreated", 0, 1, "ws1"),
    r("NodeClaimLaunched", 0, 20, "ws1"),
    r("NodeClaimRegistered", 0, 25, "ws1"),
    r("GpuCapacityReported", 0, 30, "node1"),
    r("WorkloadCreated", 0, 2),
    r("PodCreated", 0, 2, "phi-0"),
    r("PodScheduled", 0, 31, "phi-0"),
    r("ContainerStarted", 0, 45, "phi-0/phi"),
    r("PodReady", 0, 58, "phi-0"),
  ];
  // An adapter attached four minutes later re-creates the pod.
  const rollout = [
    r("PodCreated", 4, 0, "phi-0"),
    r("PodScheduled", 4, 1, "phi-0"),
    r("ContainerStarted", 4, 9, "phi-0/phi"),
    r("PodReady", 4, 20, "phi-0"),
  ];

  it("shows a re-rollout as its own run instead of one long Scheduling bar", () => {
    const runs = timelineRunsFromRecorded([...rollout, ...created]);
    expect(runs.map((run) => [run.number, run.start.slice(14, 19)])).toEqual([
      [1, "00:00"],
      [2, "04:00"],
    ]);
    expect(runs[1].phases.map((b) => [b.id, b.start.slice(14, 19), b.end?.slice(14, 19)])).toEqual([
      ["schedule", "04:00", "04:01"],
      ["image", "04:01", "04:09"],
      ["model", "04:09", "04:20"],
    ]);
    expect(runs[0].phases.find((b) => b.id === "schedule")).toMatchObject({ end: at(0, 31) });
  });

  it("keeps a first rollout with several pods and a container restart in one run", () => {
    const runs = timelineRunsFromRecorded([
      ...created,
      r("PodCreated", 0, 3, "phi-1"),
      r("ContainerStarted", 2, 0, "phi-0/phi"),
    ]);
    expect(runs).toHaveLength(1);
  });

  it("keeps a pod re-created before the Workspace was first ready in the first run", () => {
    const runs = timelineRunsFromRecorded([
      ...created.filter((x) => x.phase !== "PodReady"),
      r("PodCreated", 0, 40, "phi-0"),
      r("PodScheduled", 0, 41, "phi-0"),
      r("PodReady", 0, 59, "phi-0"),
    ]);
    expect(runs).toHaveLength(1);
  });

  it("reads older records without pod creations as one run", () => {
    expect(timelineRunsFromRecorded(created.filter((x) => x.phase !== "PodCreated"))).toHaveLength(1);
  });
});
