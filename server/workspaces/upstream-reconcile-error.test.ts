import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import type { Workspace } from "@/server/kube/types/workspace";

import { diagnoseWorkspace } from "./diagnose-workspace";
import { workspaceProblem } from "./summarize-workspace";
import { upstreamReconcileError } from "./upstream-reconcile-error";

// Workspaces exactly as upstream Kaito v0.12's controller left them.
const upstream = (file: string): Workspace =>
  (
    parse(
      readFileSync(path.resolve(import.meta.dirname, "../../tests/fixtures/upstream-kaito-v012", file), "utf8"),
    ) as { items: Workspace[] }
  ).items.find((i) => i.kind === "Workspace")!;

describe("upstream Kaito's last reconcile error", () => {
  it("is read from its conditions' messages: the unknown preset and the SKU it no longer supports", () => {
    expect(upstreamReconcileError(upstream("unknown-preset.yaml").status?.conditions)?.error).toMatch(
      /model is not registered: no-such-model-7b$/,
    );
    expect(upstreamReconcileError(upstream("seed-sku-phi3.yaml").status?.conditions)?.error).toMatch(
      /Unsupported SKU 'Standard_NC6s_v3'/,
    );
    expect(upstreamReconcileError(upstream("ready-phi3.yaml").status?.conditions)).toBeUndefined();
  });

  it("makes a Workspace upstream calls Pending show as Stuck in the list, with the error", () => {
    const ws = upstream("unknown-preset.yaml");
    expect(ws.status?.state).toBe("Pending");
    const problem = workspaceProblem(ws);
    expect(problem).toMatchObject({ kind: "stuck", label: "Stuck", reason: "WorkspaceInferenceStatusPending" });
    expect(problem?.message).toContain("model is not registered: no-such-model-7b");
    expect(workspaceProblem(upstream("ready-phi3.yaml"))).toBeNull();
  });

  it("is the why-not-ready answer on the detail page", () => {
    const diagnosis = diagnoseWorkspace(upstream("seed-sku-phi3.yaml"), [], [], []);
    expect(diagnosis).toMatchObject({ step: "Controller", cause: "controller-error", terminal: false });
    expect(diagnosis?.detail).toContain("Unsupported SKU 'Standard_NC6s_v3' for cloud provider");
  });
});
