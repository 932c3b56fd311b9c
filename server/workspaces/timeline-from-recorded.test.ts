import { describe, expect, it } from "vitest";

import type { TimelineRow } from "@/server/timeline/timeline-store";

import { timelineFromRecorded } from "./timeline-from-recorded";

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
