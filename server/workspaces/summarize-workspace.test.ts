import { describe, expect, it } from "vitest";

import type { Workspace, WorkspaceCondition } from "@/server/kube/types/workspace";

import { summarizeWorkspace, workspaceProblem } from "./summarize-workspace";

const at = "2026-12-04T10:00:00Z";
const cond = (type: string, status: "True" | "False", reason: string, message = ""): WorkspaceCondition => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: at,
});

function workspace(state: string, conditions: WorkspaceCondition[], tuning = false): Workspace {
  return {
    apiVersion: "kaito.sh/v1beta1",
    kind: "Workspace",
    metadata: { name: "w", namespace: "ns", creationTimestamp: at },
    resource: { instanceType: "Standard_NC6s_v3", labelSelector: { matchLabels: { apps: "w" } } },
    ...(tuning ? { tuning: { preset: { name: "phi-3-mini-4k-instruct" }, method: "qlora" } } : { inference: {} }),
    status: { state, conditions },
  } as unknown as Workspace;
}

describe("workspaceProblem", () => {
  it("calls a tuning Workspace whose pod cannot be scheduled stuck, although its state is Running", () => {
    const ws = workspace(
      "Running",
      [
        cond("ResourceReady", "True", "workspaceResourceStatusSuccess"),
        cond("JobStarted", "True", "WorkspaceTuningJobStatusStarted"),
        cond("WorkspaceSucceeded", "False", "Unschedulable", "0/3 nodes are available: 3 Insufficient nvidia.com/gpu"),
      ],
      true,
    );
    expect(workspaceProblem(ws)).toEqual({
      kind: "stuck",
      label: "Stuck",
      reason: "Unschedulable",
      message: "0/3 nodes are available: 3 Insufficient nvidia.com/gpu",
    });
    expect(summarizeWorkspace(ws)).toMatchObject({ state: "Running", problem: { kind: "stuck" } });
  });

  it("calls a Workspace that failed validation invalid, not pending", () => {
    const ws = workspace("NotReady", [
      cond("ResourceReady", "False", "ValidationFailed", "Unknown preset phi-9"),
      cond("WorkspaceSucceeded", "False", "ValidationFailed", "Unknown preset phi-9"),
    ]);
    expect(workspaceProblem(ws)).toMatchObject({ kind: "failed", label: "Invalid", reason: "ValidationFailed" });
  });

  it("calls an exhausted quota failed", () => {
    const ws = workspace("NotReady", [
      cond(
        "ResourceReady",
        "False",
        "LaunchFailed",
        "all requested instance types were unavailable during launch: quota exceeded",
      ),
    ]);
    expect(workspaceProblem(ws)).toMatchObject({ kind: "failed", label: "Failed", reason: "LaunchFailed" });
  });

  it("leaves a Workspace that is only waiting alone", () => {
    const ws = workspace("Pending", [
      cond("NodeClaimReady", "False", "NodeClaimNotReady", "Ready NodeClaims are not enough"),
      cond("ResourceReady", "False", "NodeClaimNotReady", "Ready NodeClaims are not enough"),
      cond("InferenceReady", "False", "WorkspaceInferenceStatusPending", "waiting for resources"),
      cond("WorkspaceSucceeded", "False", "workspacePending", "waiting"),
    ]);
    expect(workspaceProblem(ws)).toBeNull();
  });

  it("leaves a Ready Workspace alone whatever an old condition says", () => {
    expect(workspaceProblem(workspace("Ready", [cond("NodesReady", "False", "NodeNotReady")]))).toBeNull();
  });

  it("cuts a long message for the list", () => {
    const ws = workspace("NotReady", [cond("InferenceReady", "False", "ContainerOOMKilled", "x".repeat(500))]);
    expect(workspaceProblem(ws)?.message).toHaveLength(200);
  });
});
