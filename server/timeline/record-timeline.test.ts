import { describe, expect, it } from "vitest";

import { seedWorkspace } from "@/server/controller/testing/fixtures";

import { derivePhaseTransitions, Phase } from "./derive-phase-transitions";
import { createTimelineRecorder } from "./record-timeline";
import { createMemoryTimelineStore } from "./timeline-store";

describe("timeline recording", () => {
  const ws = seedWorkspace("kaito_workspace_phi_3.yaml");
  ws.status = {
    conditions: [
      {
        type: "ResourceReady",
        status: "True",
        reason: "workspaceResourceStatusSuccess",
        message: "",
        lastTransitionTime: "2026-01-01T00:02:00Z",
      },
      {
        type: "InferenceReady",
        status: "False",
        reason: "ContainerOOMKilled",
        message: "oom",
        lastTransitionTime: "2026-01-01T00:03:00Z",
      },
    ],
  };

  it("derives phases with the Kubernetes timestamps and failures as warnings", () => {
    const phases = derivePhaseTransitions({ ws, nodeClaims: [], nodes: [], pods: [] });
    expect(phases).toContainEqual(
      expect.objectContaining({ phase: Phase.Accepted, occurredAt: "2026-01-01T00:00:00Z" }),
    );
    expect(phases).toContainEqual(
      expect.objectContaining({ phase: Phase.ResourceReady, occurredAt: "2026-01-01T00:02:00Z" }),
    );
    expect(phases).toContainEqual(
      expect.objectContaining({
        phase: Phase.Failed,
        subject: "InferenceReady",
        reason: "ContainerOOMKilled",
        severity: "Warning",
      }),
    );
  });

  it("stores and announces each transition once, also across a restart (a fresh recorder on the same store)", async () => {
    const store = createMemoryTimelineStore();
    const announced: string[] = [];
    const announce = async (_: unknown, ts: { phase: string }[]) => {
      expect(ts.length).toBeGreaterThan(0);
      announced.push(...ts.map((t) => t.phase));
    };
    const phases = derivePhaseTransitions({ ws, nodeClaims: [], nodes: [], pods: [] });
    const first = createTimelineRecorder(store, announce);
    await first.record(ws, phases);
    await first.record(ws, phases);
    await createTimelineRecorder(store, announce).record(ws, phases);
    expect(announced).toHaveLength(phases.length);
    expect(await store.list("default", ws.metadata.name)).toHaveLength(phases.length);
  });

  it("keeps the record when announcing fails", async () => {
    const store = createMemoryTimelineStore();
    const recorder = createTimelineRecorder(store, async () => {
      throw new Error("namespace is being terminated");
    });
    await recorder.record(ws, derivePhaseTransitions({ ws, nodeClaims: [], nodes: [], pods: [] }));
    expect((await store.list("default", ws.metadata.name)).length).toBeGreaterThan(0);
  });
});
