import "server-only";

import type { ConditionView } from "./workspace-detail-types";

/*
 * Upstream Kaito v0.12's controller, when a reconcile fails, keeps its conditions' reasons (often
 * a pending one) and appends "(last reconcile error: …)" to every condition's message. An unknown
 * preset or an unsupported SKU therefore reads as a Workspace that is merely Pending, forever
 * (tests/fixtures/upstream-kaito-v012: unknown-preset, seed-sku-phi3).
 */
const LAST_RECONCILE_ERROR = /\(last reconcile error: ([\s\S]+)\)\s*$/;

export type UpstreamReconcileError = { error: string; condition: ConditionView };

/**
 * The error upstream's controller keeps failing with, from the first False condition that
 * carries it (its reason is the one worth naming), else the first condition.
 */
export function upstreamReconcileError(
  conditions: readonly ConditionView[] | undefined,
): UpstreamReconcileError | undefined {
  const ordered = [...(conditions ?? [])].sort((a, b) => Number(a.status !== "False") - Number(b.status !== "False"));
  for (const condition of ordered) {
    const match = LAST_RECONCILE_ERROR.exec(condition.message ?? "");
    if (match) return { error: match[1], condition };
  }
  return undefined;
}
