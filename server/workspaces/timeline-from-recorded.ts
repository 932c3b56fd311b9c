import "server-only";

import { Phase } from "@/server/timeline/derive-phase-transitions";
import type { TimelineRow } from "@/server/timeline/timeline-store";

import { PHASE_LABELS, type PhaseId } from "./derive-timeline";
import type { TimelinePhase, TimelineRun } from "./workspace-detail-types";

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
  { id: "schedule", from: [Phase.WorkloadCreated, Phase.PodCreated], to: [Phase.PodScheduled] },
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

/**
 * Where each rollout begins: once the Workspace has been ready, a pod created again under a name
 * the current run already has (a StatefulSet keeps pod names across rollouts) starts a new run.
 * Pods created for the first time, pods re-created while still provisioning, and container
 * restarts inside one pod stay in the run they happen in.
 */
export function rolloutStarts(rows: TimelineRow[]): string[] {
  const sorted = [...rows].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  const starts: string[] = [];
  let pods = new Set<string>();
  let ready = false;
  for (const r of sorted) {
    if (r.phase === Phase.PodReady || r.phase === Phase.InferenceReady) ready = true;
    if (r.phase !== Phase.PodCreated) continue;
    if (ready && pods.has(r.subject)) {
      starts.push(r.occurredAt);
      pods = new Set();
      ready = false;
    }
    pods.add(r.subject);
  }
  return starts;
}

/**
 * The recorded transitions as one timeline per rollout, oldest first: an adapter attached a
 * day later is its own short run instead of stretching "Scheduling" over the whole day (#16).
 */
export function timelineRunsFromRecorded(rows: TimelineRow[]): TimelineRun[] {
  const sorted = [...rows].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  const starts = rolloutStarts(sorted);
  const bounds = [sorted[0]?.occurredAt ?? "", ...starts];
  return bounds
    .map((start, i) => {
      const end = bounds[i + 1];
      const inRun = sorted.filter(
        (r) => (i === 0 || r.occurredAt >= start) && (end === undefined || r.occurredAt < end),
      );
      return { number: i + 1, start, phases: timelineFromRecorded(inRun) };
    })
    .filter((run) => run.phases.length > 0);
}
