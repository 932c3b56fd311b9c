"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";

import type { ActionResult } from "@/server/actions/action-result";
import type { BrowserCatalog } from "@/server/workspaces/catalog-for-browser";
import type { CreatedWorkspace } from "@/server/workspaces/create-workspace-from-yaml";

import { useDraftYaml } from "./use-draft-yaml";
import { useLiveValidation } from "./use-live-validation";
import { WorkspaceIdentityFields } from "./workspace-identity-fields";
import { initialDraftYaml } from "./workspace-draft";
import { countErrors, fieldIssues, issuesFromFieldErrors, mergeIssues, withSyntaxError } from "./workspace-issues";
import type { CreateNamespaceAction } from "./workspace-namespace-field";
import { WorkspaceModelFields } from "./workspace-model-fields";
import { WorkspaceOptionsFields } from "./workspace-options-fields";
import { WorkspacePlacementFields } from "./workspace-placement-fields";
import { WorkspaceYamlPanel } from "./workspace-yaml-panel";

type SubmitError = { message: string; fieldErrors?: Record<string, string[]> };
type CreateAction = (input: unknown) => Promise<ActionResult<CreatedWorkspace>>;

/** The create page: a form and a YAML editor over one document, submitted as the YAML the user sees. */
export function CreateWorkspace({
  catalog,
  initialPreset,
  initialInstanceType,
  createAction,
  namespaces,
  createNamespaceAction,
}: {
  catalog: BrowserCatalog;
  initialPreset: string;
  initialInstanceType: string;
  createAction: CreateAction;
  /** The namespaces to suggest; null when they could not be listed. */
  namespaces: string[] | null;
  /** Only for those allowed to create namespaces (admins). */
  createNamespaceAction?: CreateNamespaceAction;
}) {
  const router = useRouter();
  const { yaml, setYaml, draft, syntaxError, set } = useDraftYaml(() =>
    initialDraftYaml(initialPreset, initialInstanceType),
  );
  const liveIssues = useLiveValidation(yaml);
  const [submitError, setSubmitError] = useState<SubmitError | null>(null);
  const [pending, startTransition] = useTransition();

  // Lines are placed when the result arrives; editing clears the result anyway.
  const submitIssues = useMemo(
    () => (submitError?.fieldErrors ? issuesFromFieldErrors(submitError.fieldErrors, yaml) : []),
    [submitError, yaml],
  );
  const allIssues = withSyntaxError(mergeIssues(liveIssues, submitIssues), syntaxError);
  const issues = fieldIssues(allIssues);
  const section = {
    draft,
    issues,
    set: (path: (string | number)[], value: unknown) => {
      setSubmitError(null);
      set(path, value);
    },
  };

  const submit = () => {
    setSubmitError(null);
    startTransition(async () => {
      const result = await createAction({ yaml });
      if (result.ok) router.push(`/workspaces/${result.data.namespace}/${result.data.name}`);
      else setSubmitError({ message: result.error.message, fieldErrors: result.error.fieldErrors });
    });
  };

  const blocking = countErrors(allIssues);

  return (
    <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,26rem)_minmax(0,1fr)]">
      <form
        className="flex flex-col gap-4"
        aria-label="Workspace form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {syntaxError ? (
          <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            The YAML has a syntax error, so the form shows the last valid version. Fix it in the editor: {syntaxError}
          </p>
        ) : null}
        <WorkspaceIdentityFields
          {...section}
          namespaces={namespaces}
          createNamespace={createNamespaceAction}
          onNamespaceCreated={() => setSubmitError(null)}
        />
        <WorkspaceModelFields {...section} catalog={catalog} />
        <WorkspacePlacementFields {...section} />
        <WorkspaceOptionsFields {...section} catalog={catalog} />
      </form>

      <div className="flex min-w-0 flex-col gap-3">
        <WorkspaceYamlPanel
          yaml={yaml}
          onChange={(v) => {
            setSubmitError(null);
            setYaml(v);
          }}
          issues={allIssues}
        />
        {submitError ? (
          <p
            role="alert"
            className="rounded-md bg-red-50 p-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-200"
            data-testid="submit-error"
          >
            {submitError.message}
          </p>
        ) : null}
        <div className="flex items-center gap-3">
          <button
            type="button"
            onClick={submit}
            disabled={pending}
            className="rounded-md bg-blue-600 px-4 py-2 text-sm font-medium whitespace-nowrap text-white hover:bg-blue-700 disabled:opacity-50"
          >
            {pending ? "Creating…" : "Create workspace"}
          </button>
          <span className="text-xs text-zinc-500" data-testid="problem-count">
            {blocking > 0
              ? `${blocking} problem${blocking > 1 ? "s" : ""} to fix first`
              : "Checked against the CRD schema and the GPU catalog; the cluster dry-runs it before creating."}
          </span>
        </div>
      </div>
    </div>
  );
}
