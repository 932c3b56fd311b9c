const STATE_STYLES: Record<string, string> = {
  Ready: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
  Succeeded: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
  Running: "bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-200",
  Pending: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200",
  NotReady: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200",
  Failed: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200",
  Deleting: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};

export function StateBadge({ state }: { state: string }) {
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
