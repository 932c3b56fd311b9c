import { TimelineChart } from "@/components/timeline/timeline-chart";
import type { TimelinePhase, TimelineRun } from "@/server/workspaces/workspace-detail-types";

import { DetailSection } from "./workspace-detail-section";

const clock = (iso: string) => (iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 19) + " UTC" : "");

function runTitle(number: number, start: string): string {
  return number === 1 ? `Created${start ? ` ${clock(start)}` : ""}` : `Rollout ${number}, ${clock(start)}`;
}

type Props = { phases: TimelinePhase[]; run: number; earlierRuns: TimelineRun[] };

/**
 * The latest rollout's phases; earlier rollouts (the creation, then each re-rollout after an
 * adapter change or an edit) one click away, latest first, each on its own time axis.
 */
export function WorkspaceDetailTimeline({ phases, run, earlierRuns }: Props) {
  const start = earlierRuns.length ? (phases[0]?.start ?? "") : "";
  return (
    <DetailSection title="Provisioning and readiness timeline" testId="timeline">
      {earlierRuns.length ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="timeline-run">
          {runTitle(run, start)}
        </p>
      ) : null}
      <TimelineChart phases={phases} />
      {earlierRuns.length ? (
        <details data-testid="earlier-runs" className="rounded-lg border border-zinc-200 p-2 dark:border-zinc-800">
          <summary className="cursor-pointer text-sm">
            Earlier {earlierRuns.length === 1 ? "rollout" : `rollouts (${earlierRuns.length})`}
          </summary>
          <ol className="mt-2 flex flex-col gap-4">
            {earlierRuns.map((r) => (
              <li key={r.number} data-testid={`run-${r.number}`} className="flex flex-col gap-1">
                <p className="text-sm font-medium">{runTitle(r.number, r.start)}</p>
                <TimelineChart phases={r.phases} testIdPrefix={`run-${r.number}-phase`} />
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </DetailSection>
  );
}
