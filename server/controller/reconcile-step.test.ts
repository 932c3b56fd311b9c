import { describe, expect, it } from "vitest";

import type { ControllerContext } from "./controller-context";
import { done, runSteps, wait, type ReconcileStep, type WorkspacePass } from "./reconcile-step";

const ctx = {} as ControllerContext;
const pass = {} as WorkspacePass;

function step(name: string, ran: string[], result: () => ReturnType<ReconcileStep["run"]>): ReconcileStep {
  return {
    name,
    run: () => {
      ran.push(name);
      return result();
    },
  };
}

describe("runSteps", () => {
  it("runs every step when each is done", async () => {
    const ran: string[] = [];
    const steps = ["finalizer", "nodes", "workload"].map((n) => step(n, ran, async () => done));
    expect(await runSteps(ctx, pass, steps)).toEqual(done);
    expect(ran).toEqual(["finalizer", "nodes", "workload"]);
  });

  it("stops at the first step that waits and says which and why", async () => {
    const ran: string[] = [];
    const steps = [
      step("finalizer", ran, async () => done),
      step("nodes", ran, async () => wait(60_000, "NodeClaimNotReady")),
      step("workload", ran, async () => done),
    ];
    expect(await runSteps(ctx, pass, steps)).toEqual({
      kind: "wait",
      requeueAfterMs: 60_000,
      reason: "NodeClaimNotReady",
      step: "nodes",
    });
    expect(ran).toEqual(["finalizer", "nodes"]);
  });

  it("passes a step's error on and runs nothing after it", async () => {
    const ran: string[] = [];
    const steps = [
      step("finalizer", ran, () => Promise.reject(new Error("Conflict"))),
      step("nodes", ran, async () => done),
    ];
    await expect(runSteps(ctx, pass, steps)).rejects.toThrow("Conflict");
    expect(ran).toEqual(["finalizer"]);
  });
});
