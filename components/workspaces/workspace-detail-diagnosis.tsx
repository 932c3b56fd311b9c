import type { Diagnosis } from "@/server/workspaces/workspace-detail-types";

/** "Why is this not ready?" with the blocking step and its cause, or the Ready banner. */
export function WorkspaceDetailDiagnosis({
  diagnosis,
  inference,
}: {
  diagnosis: Diagnosis | null;
  inference: boolean;
}) {
  if (!diagnosis)
    return (
      <p
        className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950/40"
        data-testid="ready-banner"
      >
        Ready: {inference ? "the model is serving requests." : "the tuning job succeeded."}
      </p>
    );
  const waiting = diagnosis.cause === "waiting" || diagnosis.cause === "deleting";
  return (
    <section
      data-testid="why-not-ready"
      data-cause={diagnosis.cause}
      className={`rounded-lg border p-4 ${
        waiting
          ? "border-amber-300 bg-amber-50 dark:border-amber-800 dark:bg-amber-950/40"
          : "border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950/40"
      }`}
    >
      <h2 className="text-sm font-semibold">Why is this not ready?</h2>
      <p className="mt-1 text-sm">
        <strong>{diagnosis.title}</strong> — blocked at <em>{diagnosis.step}</em>.
      </p>
      <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">{diagnosis.detail}</p>
    </section>
  );
}
