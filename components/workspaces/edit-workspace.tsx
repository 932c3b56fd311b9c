"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";

import { lineOfPath, parseYamlWithPositions } from "@/lib/kaito/locate-yaml-path";
import { Button } from "@/components/ui/button";
import {
  editableWorkspace,
  immutableChanges,
  lockedReason,
  type EditableWorkspace,
} from "@/lib/kaito/workspace-immutability";
import type { ActionResult } from "@/server/actions/action-result";
import type { BrowserCatalog } from "@/server/workspaces/catalog-for-browser";

import { lineDiff } from "./line-diff";
import { useDraftYaml } from "./use-draft-yaml";
import { useLiveValidation } from "./use-live-validation";
import { WorkspaceIdentityFields } from "./workspace-identity-fields";
import {
  countErrors,
  fieldIssues,
  issuesFromFieldErrors,
  mergeIssues,
  withSyntaxError,
  type Issue,
} from "./workspace-issues";
import { WorkspaceModelFields } from "./workspace-model-fields";
import { WorkspaceOptionsFields } from "./workspace-options-fields";
import { WorkspacePlacementFields } from "./workspace-placement-fields";
import { WorkspaceYamlPanel } from "./workspace-yaml-panel";

export type UpdateWorkspaceAction = (input: unknown) => Promise<ActionResult<{ resourceVersion: string }>>;
type SubmitError = { code: string; message: string; fieldErrors?: Record<string, string[]> };

const asEditable = (object: unknown) => editableWorkspace(object as Parameters<typeof editableWorkspace>[0]);

/**
 * Changes the live object where the API allows it, as a form and as YAML over one document; the
 * fields the CRD forbids changing are read-only with the reason. Apply shows the diff first and
 * is refused with a plain message when someone else changed the Workspace in the meantime.
 */
export function EditWorkspace({
  catalog,
  namespace,
  name,
  initialYaml,
  resourceVersion,
  updateAction,
}: {
  catalog: BrowserCatalog;
  namespace: string;
  name: string;
  /** The live object's editable part as YAML (lib/kaito/workspace-immutability.ts). */
  initialYaml: string;
  resourceVersion: string;
  updateAction: UpdateWorkspaceAction;
}) {
  const router = useRouter();
  const { yaml, setYaml, draft, syntaxError, set } = useDraftYaml(() => initialYaml);
  const liveIssues = useLiveValidation(yaml);
  const [submitError, setSubmitError] = useState<SubmitError | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [pending, startTransition] = useTransition();
  const base: EditableWorkspace = useMemo(
    () => asEditable(parseYamlWithPositions(initialYaml).doc.toJS()),
    [initialYaml],
  );

  const lockedIssues: Issue[] = useMemo(() => {
    const parsed = parseYamlWithPositions(yaml);
    if (parsed.doc.errors.length > 0) return [];
    return immutableChanges(base, asEditable(parsed.doc.toJS())).map((field) => ({
      path: field.path,
      line: lineOfPath(parsed, field.path),
      message: `${field.path} cannot be changed: ${field.reason}`,
      severity: "error" as const,
    }));
  }, [base, yaml]);
  // A broken rule in a field that cannot change cannot be fixed here: say so, but let the rest be edited.
  const editableIssues = liveIssues.map((issue) =>
    issue.severity === "error" && lockedReason(issue.path)
      ? {
          ...issue,
          severity: "warning" as const,
          message: `${issue.message} (this field cannot change: create a new Workspace to fix it)`,
        }
      : issue,
  );
  const submitIssues = useMemo(
    () => (submitError?.fieldErrors ? issuesFromFieldErrors(submitError.fieldErrors, yaml) : []),
    [submitError, yaml],
  );
  const allIssues = withSyntaxError(mergeIssues(lockedIssues, editableIssues, submitIssues), syntaxError);
  const blocking = countErrors(allIssues);
  const diff = useMemo(() => lineDiff(initialYaml, yaml), [initialYaml, yaml]);
  const changed = diff.some((line) => line.kind !== "same");

  const edit = (next: () => void) => {
    setSubmitError(null);
    setReviewing(false);
    next();
  };
  const section = {
    draft,
    issues: fieldIssues(allIssues),
    lockedReason,
    set: (path: (string | number)[], value: unknown) => edit(() => set(path, value)),
  };

  const apply = () =>
    startTransition(async () => {
      setSubmitError(null);
      const result = await updateAction({
        namespace,
        name,
        yaml,
        baseYaml: initialYaml,
        baseResourceVersion: resourceVersion,
      });
      if (result.ok) {
        router.push(`/workspaces/${namespace}/${name}`);
        router.refresh();
      } else {
        setSubmitError(result.error);
        setReviewing(false);
      }
    });

  return (
    <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,26rem)_minmax(0,1fr)]">
      <form
        className="flex flex-col gap-4"
        aria-label="Workspace form"
        onSubmit={(e) => {
          e.preventDefault();
          setReviewing(true);
        }}
      >
        {syntaxError ? (
          <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            The YAML has a syntax error, so the form shows the last valid version. Fix it in the editor: {syntaxError}
          </p>
        ) : null}
        <WorkspaceIdentityFields {...section} />
        <WorkspaceModelFields {...section} catalog={catalog} />
        <WorkspacePlacementFields {...section} />
        <WorkspaceOptionsFields {...section} catalog={catalog} />
      </form>

      <div className="flex min-w-0 flex-col gap-3">
        <WorkspaceYamlPanel yaml={yaml} onChange={(v) => edit(() => setYaml(v))} issues={allIssues} />
        {submitError ? (
          <div
            role="alert"
            className="flex flex-col items-start gap-2 rounded-md bg-red-50 p-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-200"
            data-testid="submit-error"
          >
            <p>{submitError.message}</p>
            {submitError.code === "conflict" ? (
              <Button variant="secondary" size="sm" onClick={() => router.refresh()}>
                Load the latest version (discards your changes)
              </Button>
            ) : null}
          </div>
        ) : null}
        {reviewing ? (
          <section aria-label="Changes to apply" className="flex flex-col gap-2">
            <h2 className="text-sm font-semibold">Changes to apply</h2>
            <pre
              className="overflow-auto rounded-md border border-zinc-200 bg-white p-2 text-xs dark:border-zinc-800 dark:bg-zinc-950"
              data-testid="edit-diff"
              tabIndex={0}
            >
              {diff.map((line, n) => (
                <div
                  key={n}
                  className={
                    line.kind === "added"
                      ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
                      : line.kind === "removed"
                        ? "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200"
                        : "text-zinc-600 dark:text-zinc-400"
                  }
                >
                  {line.kind === "added" ? "+ " : line.kind === "removed" ? "- " : "  "}
                  {line.text}
                </div>
              ))}
            </pre>
            <div className="flex items-center gap-2">
              <Button onClick={apply} disabled={pending}>
                {pending ? "Applying…" : "Apply changes"}
              </Button>
              <Button variant="ghost" onClick={() => setReviewing(false)}>
                Back to editing
              </Button>
            </div>
          </section>
        ) : (
          <div className="flex items-center gap-3">
            <Button onClick={() => setReviewing(true)} disabled={!changed || blocking > 0}>
              Review changes
            </Button>
            <Link
              href={`/workspaces/${namespace}/${name}`}
              className="text-sm text-blue-700 hover:underline dark:text-blue-400"
            >
              Cancel
            </Link>
            <span className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="problem-count">
              {blocking > 0
                ? `${blocking} problem${blocking > 1 ? "s" : ""} to fix first`
                : changed
                  ? "Review the diff, then apply it to the live object."
                  : "No changes yet."}
            </span>
          </div>
        )}
      </div>
    </div>
  );
}
