"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";

import { DEFAULT_REPLICAS, INFERENCESET_KIND } from "@/lib/kaito/inferenceset";
import type { ActionResult } from "@/server/actions/action-result";
import type { CreatedInferenceSet } from "@/server/inferencesets/create-inferenceset-from-yaml";
import type { BrowserCatalog } from "@/server/workspaces/catalog-for-browser";
import type { CreatedWorkspace } from "@/server/workspaces/create-workspace-from-yaml";

import {
  inferenceSetPath,
  inferenceSetYamlToWorkspace,
  isInferenceSetDraft,
  viewIssues,
  workspaceView,
  workspaceYamlToInferenceSet,
  type InferenceSetDraft,
} from "../inferencesets/inference-set-draft";
import { InferenceSetFields } from "../inferencesets/inference-set-fields";

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

// The CRD's default when unset; while a typed count is not a whole number yet, one replica's cost.
const replicaCount = (value: unknown) =>
  value === undefined ? DEFAULT_REPLICAS : Number.isInteger(value) && (value as number) >= 0 ? (value as number) : 1;

type SubmitError = { message: string; fieldErrors?: Record<string, string[]> };
type CreateAction = (input: unknown) => Promise<ActionResult<CreatedWorkspace>>;
type CreateInferenceSetAction = (input: unknown) => Promise<ActionResult<CreatedInferenceSet>>;

/**
 * The create page: a form and a YAML editor over one document, submitted as the YAML the user
 * sees. The document's kind decides what is made — a Workspace, or an InferenceSet of identical
 * Workspaces (chosen here or pasted as YAML); a set's template uses the Workspace sections as they are.
 */
export function CreateWorkspace({
  catalog,
  initialPreset,
  initialInstanceType,
  initialKind,
  createAction,
  createInferenceSetAction,
  namespaces,
  createNamespaceAction,
}: {
  catalog: BrowserCatalog;
  initialPreset: string;
  initialInstanceType: string;
  initialKind: "Workspace" | "InferenceSet";
  createAction: CreateAction;
  createInferenceSetAction: CreateInferenceSetAction;
  /** The namespaces to suggest; null when they could not be listed. */
  namespaces: string[] | null;
  /** Only for those allowed to create namespaces (admins). */
  createNamespaceAction?: CreateNamespaceAction;
}) {
  const router = useRouter();
  const { yaml, setYaml, draft, syntaxError, set } = useDraftYaml(() => {
    const initial = initialDraftYaml(initialPreset, initialInstanceType);
    return (initialKind === INFERENCESET_KIND && workspaceYamlToInferenceSet(initial)) || initial;
  });
  const isSet = isInferenceSetDraft(draft);
  const liveIssues = useLiveValidation(yaml);
  const [submitError, setSubmitError] = useState<SubmitError | null>(null);
  const [pending, startTransition] = useTransition();

  // Lines are placed when the result arrives; editing clears the result anyway.
  const submitIssues = useMemo(
    () => (submitError?.fieldErrors ? issuesFromFieldErrors(submitError.fieldErrors, yaml) : []),
    [submitError, yaml],
  );
  const allIssues = withSyntaxError(mergeIssues(liveIssues, submitIssues), syntaxError);
  const issues = fieldIssues(isSet ? viewIssues(allIssues) : allIssues);
  const setField = (path: (string | number)[], value: unknown) => {
    setSubmitError(null);
    set(path, value);
  };
  // A set's template is shown as the Workspace each replica will be; its fields write into the set.
  const section = isSet
    ? {
        draft: workspaceView(draft as InferenceSetDraft),
        issues,
        set: (path: (string | number)[], value: unknown) => {
          const target = inferenceSetPath(path);
          if (target) setField(target, value);
        },
      }
    : { draft, issues, set: setField };

  const switchKind = (toSet: boolean) => {
    const converted = toSet ? workspaceYamlToInferenceSet(yaml) : inferenceSetYamlToWorkspace(yaml);
    if (!converted) return;
    setSubmitError(null);
    setYaml(converted);
  };

  const submit = () => {
    setSubmitError(null);
    startTransition(async () => {
      const result = isSet ? await createInferenceSetAction({ yaml }) : await createAction({ yaml });
      if (result.ok)
        router.push(`/${isSet ? "inferencesets" : "workspaces"}/${result.data.namespace}/${result.data.name}`);
      else setSubmitError({ message: result.error.message, fieldErrors: result.error.fieldErrors });
    });
  };

  const blocking = countErrors(allIssues);

  return (
    <>
      <h1 className="text-xl font-semibold">{isSet ? "Create InferenceSet" : "Create workspace"}</h1>
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,26rem)_minmax(0,1fr)]">
        <form
          className="flex flex-col gap-4"
          aria-label={isSet ? "InferenceSet form" : "Workspace form"}
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm" disabled={Boolean(syntaxError)}>
            <legend className="mb-1 font-medium">Kind</legend>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="kind" checked={!isSet} onChange={() => switchKind(false)} />
              Workspace
            </label>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="kind" checked={isSet} onChange={() => switchKind(true)} />
              InferenceSet <span className="text-xs text-zinc-500">(identical replicas, scalable)</span>
            </label>
          </fieldset>
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
          {isSet ? <InferenceSetFields draft={draft as InferenceSetDraft} set={setField} issues={issues} /> : null}
          <WorkspaceModelFields
            {...section}
            catalog={catalog}
            replicas={isSet ? replicaCount((draft as InferenceSetDraft).spec?.replicas) : 1}
          />
          <WorkspacePlacementFields {...section} replicaTemplate={isSet} />
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
              {pending ? "Creating…" : isSet ? "Create InferenceSet" : "Create workspace"}
            </button>
            <span className="text-xs text-zinc-500" data-testid="problem-count">
              {blocking > 0
                ? `${blocking} problem${blocking > 1 ? "s" : ""} to fix first`
                : "Checked against the CRD schema and the GPU catalog; the cluster dry-runs it before creating."}
            </span>
          </div>
        </div>
      </div>
    </>
  );
}
