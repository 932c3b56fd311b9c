import type { WorkspaceProblem } from "@/server/workspaces/summarize-workspace";

const STATE_STYLES: Record<string, string> = {
  Ready: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
  Succeeded: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
  Running: "bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-200",
  Pending: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200",
  NotReady: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200",
  Failed: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200",
  Deleting: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};

// Failed and stuck are solid and outlined so that they differ from each other and from
// Pending/NotReady by more than colour.
const PROBLEM_STYLES: Record<WorkspaceProblem["kind"], string> = {
  failed: "bg-red-700 text-white dark:bg-red-600",
  stuck:
    "border border-orange-600 bg-orange-50 text-orange-900 dark:border-orange-400 dark:bg-orange-950 dark:text-orange-100",
};

/** The word the list shows and filters on: the problem's when there is one, else Kaito's state. */
export function shownState(state: string, problem: WorkspaceProblem | null | undefined): string {
  return problem?.label ?? (state || "Unknown");
}

/**
 * Kaito's status.state, unless the conditions show that the Workspace failed or is stuck: then
 * that, with the reason and Kaito's own state on hover (and to screen readers).
 */
export function StateBadge({ state, problem }: { state: string; problem?: WorkspaceProblem | null }) {
  if (problem)
    return (
      <span
        className={`inline-flex max-w-full cursor-help rounded px-1.5 py-0.5 text-xs font-semibold ${PROBLEM_STYLES[problem.kind]}`}
        title={`${problem.reason}${problem.message ? `: ${problem.message}` : ""}${state ? ` (status.state ${state})` : ""}`}
        data-problem={problem.kind}
      >
        {problem.label}
        <span className="sr-only">: {problem.reason}</span>
      </span>
    );
  return (
    <span
      className={`inline-flex rounded px-1.5 py-0.5 text-xs font-medium ${STATE_STYLES[state] ?? STATE_STYLES.Pending}`}
    >
      {state || "Unknown"}
    </span>
  );
}

/** A condition status as kubectl prints it, coloured so that a False stands out in a long list. */
export function ConditionCell({ status }: { status: string }) {
  const color =
    status === "True"
      ? "text-emerald-700 dark:text-emerald-400"
      : status === "False"
        ? "text-red-700 dark:text-red-400"
        : "text-zinc-400";
  return <span className={color}>{status || "–"}</span>;
}
