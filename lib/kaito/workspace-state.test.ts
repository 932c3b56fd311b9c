import { describe, expect, it } from "vitest";

import { workspaceState } from "./workspace-state";

const condition = (type: string, status: string, reason: string) => ({ type, status, reason });

describe("workspaceState", () => {
  it("takes status.state when the CRD keeps it", () => {
    expect(workspaceState({ metadata: {}, status: { state: "NotReady", conditions: [] } })).toBe("NotReady");
  });

  it("derives the word from the conditions when an installed CRD pruned status.state", () => {
    const succeeded = [condition("WorkspaceSucceeded", "True", "workspaceSucceeded")];
    expect(workspaceState({ metadata: {}, status: { conditions: succeeded } })).toBe("Ready");
    expect(workspaceState({ metadata: {}, tuning: {}, status: { conditions: succeeded } })).toBe("Succeeded");
    const benchmarkFailed = [condition("WorkspaceSucceeded", "False", "BenchmarkFailed")];
    expect(workspaceState({ metadata: {}, status: { conditions: benchmarkFailed } })).toBe("NotReady");
    expect(workspaceState({ metadata: {}, status: {} })).toBe("Pending");
  });

  it("says Deleting once deletion started, whatever the status says", () => {
    expect(
      workspaceState({ metadata: { deletionTimestamp: "2026-12-06T12:00:00Z" }, status: { state: "Ready" } }),
    ).toBe("Deleting");
  });
});
