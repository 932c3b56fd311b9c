import "server-only";

import type { Workspace } from "@/server/kube/types/workspace";

import type { ResourceConflict } from "./check-ownership";
import type { ControllerContext } from "./controller-context";
import type { NodeEvaluation } from "./evaluate-nodes";
import type { Logger } from "./logger";
import type { WorkspaceValidation } from "./validate-workspace";

/**
 * What one reconcile step reports, as Kaito's steps do with `(*reconcile.Result, error)`: done
 * (go on to the next step), or wait (stop here; come back after `requeueAfterMs`, or with
 * `requeueAfterMs: null` only when a watch event brings the Workspace back). A step that fails
 * rejects: the work queue retries the key with backoff.
 */
export type StepResult = { kind: "done" } | { kind: "wait"; requeueAfterMs: number | null; reason: string };

export const done: StepResult = { kind: "done" };

export function wait(requeueAfterMs: number | null, reason: string): StepResult {
  return { kind: "wait", requeueAfterMs, reason };
}

/** What the steps of one pass learn and hand on: the Workspace as last written, and what they found. */
export type WorkspacePass = {
  key: string;
  ws: Workspace;
  log: Logger;
  validation?: WorkspaceValidation;
  nodes?: NodeEvaluation;
  /** An object the Workspace needs that belongs to someone else: left untouched, reported on ResourceReady. */
  conflict?: ResourceConflict;
  /** Why the workload's pods cannot be created (its controller's FailedCreate Event). */
  failedCreate?: string;
};

export type ReconcileStep = {
  name: string;
  run: (ctx: ControllerContext, pass: WorkspacePass) => Promise<StepResult>;
};

/**
 * Runs the steps in order and stops at the first that is not done (Kaito's reconcileNodes /
 * EnsureNodesReady: a step that is not ready ends the pass instead of building on it).
 */
export async function runSteps(
  ctx: ControllerContext,
  pass: WorkspacePass,
  steps: readonly ReconcileStep[],
): Promise<StepResult & { step?: string }> {
  for (const step of steps) {
    const result = await step.run(ctx, pass);
    if (result.kind !== "done") return { ...result, step: step.name };
  }
  return done;
}
