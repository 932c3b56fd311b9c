import "server-only";

import { Phase, type PhaseTransition } from "@/server/timeline/derive-phase-transitions";

import type { WorkspaceEvent } from "./emit-workspace-event";

/**
 * The phases that get a Kubernetes Event of their own, most advanced first: when one reconcile
 * observes several (InferenceReady and WorkspaceSucceeded turn True together), the first one
 * found names the Event. NodeClaimCreated is emitted where the claim is created, as upstream does.
 */
const MILESTONES: Phase[] = [
  Phase.Deleted,
  Phase.Deleting,
  Phase.InferenceReady,
  Phase.WorkspaceSucceeded,
  Phase.JobStarted,
  Phase.ResourceReady,
];

/** Phases the timeline records but that reach Events only inside the next milestone's message. */
const SILENT: Phase[] = [Phase.Accepted, Phase.NodeClaimCreated];

const MAX_MESSAGE = 1024;

function describe(t: PhaseTransition): string {
  return `${t.phase}${t.subject ? ` ${t.subject}` : ""} at ${t.occurredAt.replace(/^.*T|Z$/g, "")}`;
}

export type PhaseSummary = {
  events: WorkspaceEvent[];
  /** Phases seen but not yet announced, carried to the next milestone's message. */
  pending: string[];
};

/**
 * Coarse Events for the phases one reconcile newly recorded: one Warning per failure, and one
 * Normal Event when a milestone is reached whose message lists every finer phase seen since
 * the previous Event (NodeClaim launched/registered/initialized, node ready, pod scheduled, …).
 * A Workspace thus costs about three Event writes on its way to ready instead of one per phase,
 * which keeps the apiserver writes per Workspace within budget; the timeline table still holds
 * every phase with its own timestamp.
 */
export function summarizePhaseEvents(transitions: PhaseTransition[], pending: string[]): PhaseSummary {
  const events: WorkspaceEvent[] = [];
  for (const t of transitions) {
    if (t.phase !== Phase.Failed) continue;
    events.push({
      type: "Warning",
      reason: t.reason ?? "Failed",
      message: (t.message ?? `${t.subject} failed`).slice(0, MAX_MESSAGE),
      key: `${t.phase}/${t.subject}/${t.occurredAt}`,
    });
  }
  const finer = transitions.filter(
    (t) => t.phase !== Phase.Failed && !SILENT.includes(t.phase) && !MILESTONES.includes(t.phase),
  );
  const seen = [...pending, ...finer.map(describe)];
  const milestone = MILESTONES.map((m) => transitions.find((t) => t.phase === m)).find((t) => !!t);
  if (!milestone) return { events, pending: seen };
  const reached = transitions.filter((t) => MILESTONES.includes(t.phase)).map((t) => t.phase);
  const head = `${reached.join(", ")}`;
  const message = seen.length ? `${head} (${seen.join("; ")})` : head;
  events.push({
    type: "Normal",
    reason: milestone.phase,
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
    key: `${milestone.phase}/${milestone.subject}/${milestone.occurredAt}`,
  });
  return { events, pending: [] };
}
