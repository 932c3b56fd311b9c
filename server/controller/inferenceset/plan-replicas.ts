import "server-only";

import { ANNOTATION_TEMPLATE_HASH, DEFAULT_REPLICAS } from "@/lib/kaito/inferenceset";
import type { InferenceSet } from "@/server/kube/types/inferenceset";
import { targetNodeCount, type Workspace } from "@/server/kube/types/workspace";

import { isReadyChild } from "./compute-inferenceset-status";
import { childName, replicaIndex, templateHash } from "./render-child-workspace";

export type ReplicaPlan = {
  desired: number;
  /** GPU nodes one child takes. */
  nodesPerReplica: number;
  /** Children not being deleted. */
  live: Workspace[];
  /** Slots to create children for, lowest free first. */
  create: number[];
  /** Children to delete: extra ones newest first, or outdated ones a rolling update replaces. */
  remove: Workspace[];
  /** Set when `spec.nodeCountLimit` holds the set below `desired`. */
  limited?: { maxReplicas: number; nodesPerReplica: number; limit: number };
};

function newestFirst(a: Workspace, b: Workspace): number {
  const at = Date.parse(a.metadata.creationTimestamp as unknown as string) || 0;
  const bt = Date.parse(b.metadata.creationTimestamp as unknown as string) || 0;
  return bt - at || replicaIndex(b) - replicaIndex(a) || b.metadata.name.localeCompare(a.metadata.name);
}

/** `rollingUpdate.maxUnavailable` as a count: an integer, or a percentage of replicas rounded down; at least 1. */
export function maxUnavailable(set: InferenceSet, desired: number): number {
  const value = set.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  const count =
    typeof value === "string" && value.endsWith("%")
      ? Math.floor((desired * Number.parseFloat(value)) / 100)
      : Number(value);
  return Number.isFinite(count) ? Math.max(1, count) : 1;
}

const oldestFirst = (a: Workspace, b: Workspace) => -newestFirst(a, b);

/**
 * A rolling update: children made from an older template are deleted, so that the next pass makes
 * their replacements from the current one. The budget is StatefulSet's (maxUnavailable): children
 * not Ready, plus the missing ones (deleted and not yet replaced, terminating ones included),
 * count against it, outdated or not, and nothing is deleted while it is spent. A Ready child is
 * deleted only while the budget lasts, the oldest first, so the rollout itself never takes the set
 * below `target − maxUnavailable`.
 *
 * Deleting a child that is not Ready makes nothing less available: outdated children that are
 * not Ready go first within the budget, and when the budget is spent by them alone (no replacement
 * in flight, no current child failing) up to maxUnavailable of them are still replaced, so that a
 * template change can repair a set whose old template never became Ready (a StatefulSet would
 * wait forever there). While a replacement is in flight, a Ready child that turns NotReady for a
 * moment is left to recover, not replaced on top of the one in flight.
 *
 * `OnDelete` replaces nothing. A child without the hash annotation (made before it existed)
 * counts as current, so an upgrade of this controller does not roll every set.
 */
function rollingReplacements(set: InferenceSet, live: Workspace[], desired: number, target: number): Workspace[] {
  if (set.spec.updateStrategy?.type === "OnDelete") return [];
  const current = templateHash(set);
  const isOutdated = (c: Workspace) => {
    const hash = c.metadata.annotations?.[ANNOTATION_TEMPLATE_HASH];
    return hash !== undefined && hash !== current;
  };
  const outdated = live.filter(isOutdated);
  if (!outdated.length) return [];
  const notReady = live.filter((c) => !isReadyChild(c));
  const missing = Math.max(0, target - live.length);
  const allowed = maxUnavailable(set, desired);
  const budget = allowed - notReady.length - missing;
  const broken = outdated.filter((c) => !isReadyChild(c)).sort(oldestFirst);
  if (budget > 0) return [...broken, ...outdated.filter(isReadyChild).sort(oldestFirst)].slice(0, budget);
  const onlyBrokenOutdated = missing === 0 && notReady.every(isOutdated);
  return onlyBrokenOutdated ? broken.slice(0, allowed) : [];
}

/**
 * What it takes to get from `children` to `spec.replicas` (pure; unit-tested as data).
 *
 * - Scaling down removes the newest children first: the oldest have served longest and are the
 *   least likely to be still loading.
 * - Scaling up fills the lowest free slots. A child still terminating keeps its slot (and its
 *   name) until it is gone, so a new child never collides with it.
 * - `spec.nodeCountLimit` caps the nodes of every child that still exists, terminating ones
 *   included (their NodeClaims may still hold a node): the set stops growing there.
 */
export function planReplicas(
  set: InferenceSet,
  children: Workspace[],
  blockedNames: ReadonlySet<string> = new Set(),
): ReplicaPlan {
  const desired = set.spec.replicas ?? DEFAULT_REPLICAS;
  const live = children.filter((c) => !c.metadata.deletionTimestamp);
  // Every child of a set has the same shape; one that reports its node count speaks for all.
  const nodesPerReplica = Math.max(1, ...children.map((c) => c.status?.targetNodeCount ?? targetNodeCount(c)));
  const plan: ReplicaPlan = { desired, nodesPerReplica, live, create: [], remove: [] };

  if (live.length > desired) {
    plan.remove = [...live].sort(newestFirst).slice(0, live.length - desired);
    return plan;
  }

  let room = desired - live.length;
  // What the set can reach: `desired`, or fewer when nodeCountLimit holds it.
  let target = desired;
  const limit = set.spec.nodeCountLimit ?? 0;
  if (limit > 0) {
    const maxReplicas = Math.floor(limit / nodesPerReplica);
    if (desired > maxReplicas) plan.limited = { maxReplicas, nodesPerReplica, limit };
    target = Math.min(desired, maxReplicas);
    room = Math.min(room, Math.max(0, maxReplicas - children.length));
  }

  const taken = new Set(children.map(replicaIndex));
  const names = new Set(children.map((c) => c.metadata.name));
  for (let index = 0; plan.create.length < room; index++) {
    if (taken.has(index)) continue;
    const name = childName(set, index);
    // Two slots hashing to one name, or a Workspace someone else owns under it: skip the slot.
    if (names.has(name) || blockedNames.has(name)) continue;
    plan.create.push(index);
    names.add(name);
  }
  // Only once the count is right (or nodeCountLimit holds it): replacements then refill one by one.
  if (!plan.create.length) plan.remove = rollingReplacements(set, live, desired, target);
  return plan;
}
