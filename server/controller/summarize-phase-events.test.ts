import { describe, expect, it } from "vitest";

import { Phase, type PhaseTransition } from "@/server/timeline/derive-phase-transitions";

import { summarizePhaseEvents } from "./summarize-phase-events";

const t = (phase: PhaseTransition["phase"], subject = "", extra: Partial<PhaseTransition> = {}): PhaseTransition => ({
  phase,
  subject,
  occurredAt: "2026-01-01T00:00:05Z",
  severity: "Normal",
  ...extra,
});

describe("summarizePhaseEvents", () => {
  it("holds finer phases back and lists them in the next milestone's Event", () => {
    const first = summarizePhaseEvents([t(Phase.Accepted), t(Phase.NodeClaimLaunched, "ws1")], []);
    expect(first.events).toEqual([]);
    expect(first.pending).toEqual(["NodeClaimLaunched ws1 at 00:00:05"]);

    const second = summarizePhaseEvents([t(Phase.NodeReady, "ws1"), t(Phase.ResourceReady)], first.pending);
    expect(second.pending).toEqual([]);
    expect(second.events).toEqual([
      {
        type: "Normal",
        reason: "ResourceReady",
        message: "ResourceReady (NodeClaimLaunched ws1 at 00:00:05; NodeReady ws1 at 00:00:05)",
        key: "ResourceReady//2026-01-01T00:00:05Z",
      },
    ]);
  });

  it("names one Event after the most advanced milestone when several are reached at once", () => {
    const { events } = summarizePhaseEvents(
      [t(Phase.PodReady, "p-0"), t(Phase.InferenceReady), t(Phase.WorkspaceSucceeded)],
      [],
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: "InferenceReady", type: "Normal" });
    expect(events[0].message).toContain("WorkspaceSucceeded");
    expect(events[0].message).toContain("PodReady p-0");
  });

  it("gives every failure a Warning of its own with Kaito's reason", () => {
    const { events, pending } = summarizePhaseEvents(
      [
        t(Phase.Failed, "InferenceReady", { reason: "ContainerOOMKilled", message: "OOM", severity: "Warning" }),
        t(Phase.PodScheduled, "p-0"),
      ],
      [],
    );
    expect(events).toEqual([
      { type: "Warning", reason: "ContainerOOMKilled", message: "OOM", key: expect.stringContaining("Failed/") },
    ]);
    expect(pending).toEqual(["PodScheduled p-0 at 00:00:05"]);
  });
});
