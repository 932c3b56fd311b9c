import "server-only";

import type { NodeClaim, NodeClaimCondition } from "@/server/kube/types/nodeclaim";

/**
 * Returns the conditions with `next` set; lastTransitionTime moves only when the status changes,
 * as with metav1.Condition, so timestamps show when each phase really happened.
 */
export function withCondition(
  conditions: NodeClaimCondition[] | undefined,
  next: Omit<NodeClaimCondition, "lastTransitionTime">,
  now: Date,
): NodeClaimCondition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  const previous = index >= 0 ? list[index] : undefined;
  const lastTransitionTime =
    previous && previous.status === next.status && previous.lastTransitionTime
      ? previous.lastTransitionTime
      : now.toISOString();
  const condition = { ...next, lastTransitionTime };
  if (index >= 0) list[index] = condition;
  else list.push(condition);
  return list;
}

export function isTrue(claim: NodeClaim, type: string): boolean {
  return claim.status?.conditions?.some((c) => c.type === type && c.status === "True") ?? false;
}

export function hasCondition(claim: NodeClaim, type: string): boolean {
  return claim.status?.conditions?.some((c) => c.type === type) ?? false;
}
