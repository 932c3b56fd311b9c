import "server-only";

import type { Workspace } from "@/server/kube/types/workspace";

import { isoTime } from "./iso-time";
import type { ConditionView as Condition, NodeClaimView, PodView, TimelinePhase } from "./workspace-detail-types";

export const PHASE_LABELS = {
  nodeclaim: "Waiting for NodeClaim",
  launch: "VM launch",
  register: "Node registration",
  gpu: "GPU plugin",
  schedule: "Scheduling",
  image: "Image pull",
  model: "Model load",
} as const;

export type PhaseId = keyof typeof PHASE_LABELS;

function trueSince(conditions: Condition[] | undefined, type: string): string | null {
  const c = conditions?.find((x) => x.type === type);
  return c?.status === "True" ? (c.lastTransitionTime ?? null) : null;
}

function earliest(values: (string | null | undefined)[]): string | null {
  const present = values.filter((v): v is string => Boolean(v)).sort();
  return present[0] ?? null;
}

function latest(values: (string | null | undefined)[]): string | null {
  const present = values.filter((v): v is string => Boolean(v)).sort();
  return present.at(-1) ?? null;
}

/**
 * Rebuilds the provisioning and readiness phases from the Kubernetes objects' own timestamps
 * (condition transitions, container start times). Used when the controller's recorded
 * timeline is not available; with several NodeClaims or pods each phase ends when the last
 * one finished it, because the workspace waits for all of them.
 */
export function deriveTimeline(ws: Workspace, nodeClaims: NodeClaimView[], pods: PodView[]): TimelinePhase[] {
  const phases: TimelinePhase[] = [];
  const push = (id: PhaseId, start: string | null, end: string | null) => {
    if (!start) return;
    phases.push({ id, label: PHASE_LABELS[id], start, end, status: end ? "done" : "running" });
  };
  const created = isoTime(ws.metadata.creationTimestamp);
  const all = (type: string) => {
    const times = nodeClaims.map((nc) => trueSince(nc.conditions, type));
    return times.every(Boolean) && times.length > 0 ? latest(times) : null;
  };
  let nodesReadyAt: string | null = null;
  if (nodeClaims.length > 0) {
    const claimed = latest(nodeClaims.map((nc) => nc.createdAt));
    push("nodeclaim", created, claimed);
    const launched = all("Launched");
    push("launch", claimed, launched);
    const registered = all("Registered");
    push("register", launched, registered);
    nodesReadyAt = all("Ready") ?? all("Initialized");
    push("gpu", registered, nodesReadyAt);
  } else if (!pods.length) {
    push("nodeclaim", created, null);
  }
  if (pods.length > 0) {
    const podCreated = earliest(pods.map((p) => p.createdAt));
    const scheduled = latest(pods.map((p) => trueSince(p.conditions, "PodScheduled")));
    const allScheduled = pods.every((p) => trueSince(p.conditions, "PodScheduled"));
    push("schedule", latest([podCreated, nodesReadyAt]) ?? podCreated, allScheduled ? scheduled : null);
    const mains = pods.map((p) => p.containers[0]);
    const started = mains.every((c) => c?.startedAt) ? latest(mains.map((c) => c?.startedAt)) : null;
    if (allScheduled) push("image", scheduled, started);
    const ready = pods.every((p) => trueSince(p.conditions, "Ready"))
      ? latest(pods.map((p) => trueSince(p.conditions, "Ready")))
      : null;
    if (started) push("model", started, ready);
  }
  return phases;
}
