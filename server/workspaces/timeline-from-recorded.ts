import "server-only";

import { Phase } from "@/server/timeline/derive-phase-transitions";
import type { TimelineRow } from "@/server/timeline/timeline-store";

import { PHASE_LABELS, type PhaseId } from "./derive-timeline";
import type { TimelinePhase } from "./workspace-detail-types";

type Milestone = readonly Phase[];

// Each bar runs from one milestone to the next. Where a milestone has several subjects (one per
// NodeClaim or pod) the workspace waits for all of them, so the latest one counts.
const BARS: { id: PhaseId; from: Milestone; to: Milestone }[] = [
  { id: "nodeclaim", from: [Phase.Accepted], to: [Phase.NodeClaimCreated] },
  { id: "launch", from: [Phase.NodeClaimCreated], to: [Phase.NodeClaimLaunched] },
  { id: "register", from: [Phase.NodeClaimLaunched], to: [Phase.NodeClaimRegistered] },
  {
    id: "gpu",
    from: [Phase.NodeClaimRegistered],
    to: [Phase.GpuCapacityReported, Phase.NodeReady, Phase.NodeClaimReady],
  },
  { id: "schedule", from: [Phase.WorkloadCreated], to: [Phase.PodScheduled] },
  { id: "image", from: [Phase.PodScheduled], to: [Phase.ContainerStarted] },
  { id: "model", from: [Phase.ContainerStarted], to: [Phase.PodReady, Phase.InferenceReady] },
];

/**
 * The controller's recorded transitions (durable in PostgreSQL, unlike Kubernetes Events) laid
 * out as the detail page's bars. A recorded failure marks the bar in progress as failed.
 */
export function timelineFromRecorded(rows: TimelineRow[]): TimelinePhase[] {
  const latest = (phases: Milestone) => {
    const times = rows.filter((r) => phases.includes(r.phase)).map((r) => r.occurredAt);
    return times.length ? times.sort().at(-1)! : null;
  };
  const phases: TimelinePhase[] = [];
  for (const bar of BARS) {
    let start = latest(bar.from);
    if (!start) continue;
    // A pod cannot be scheduled before its GPU node is ready, whatever order the objects were created in.
    const previousEnd = phases.at(-1)?.end;
    if (previousEnd && previousEnd > start) start = previousEnd;
    const end = latest(bar.to);
    phases.push({
      id: bar.id,
      label: PHASE_LABELS[bar.id],
      start,
      end: end && end >= start ? end : end ? start : null,
      status: end ? "done" : "running",
    });
  }
  // A bar without an end followed by later ones was skipped (existing nodes reused), not stuck.
  const shown = phases.filter((p, i) => p.end !== null || i === phases.length - 1);
  const failure = rows
    .filter((r) => r.phase === Phase.Failed)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
    .at(-1);
  const open = shown.find((p) => p.status === "running");
  if (failure && open && failure.occurredAt >= open.start) {
    open.status = "failed";
    open.detail = [failure.reason, failure.message].filter(Boolean).join(": ");
  }
  return shown;
}
