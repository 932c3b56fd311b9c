"use client";

import { Field } from "@/components/ui/field";
import { controlClass } from "@/components/ui/input";
import { DEFAULT_SCALING_METRIC, ScaledObjectAnnotation } from "@/lib/kaito/inferenceset";

import type { SetDraftValue } from "../workspaces/use-draft-yaml";
import type { FieldIssues } from "../workspaces/workspace-issues";

import type { InferenceSetDraft } from "./inference-set-draft";

const annotationField = (key: string) => `metadata.annotations.${key}`;

/** A number field's text → the YAML value: empty removes the key, anything else is kept for the check to judge. */
const numberOrText = (text: string) =>
  text.trim() === "" ? undefined : /^-?\d+$/.test(text.trim()) ? Number(text) : text;

/**
 * What a set has beyond one Workspace: how many replicas, the most nodes they may use together,
 * how many may be down during a rollout, and keda-kaito-scaler's autoscaling annotations.
 */
export function InferenceSetFields({
  draft,
  set,
  issues,
}: {
  draft: InferenceSetDraft;
  set: SetDraftValue;
  issues: FieldIssues;
}) {
  const annotations = draft.metadata?.annotations ?? {};
  const autoscale = annotations[ScaledObjectAnnotation.AutoProvision] === "true";
  const setAnnotation = (key: string, value: string) => set(["metadata", "annotations", key], value || undefined);
  const maxUnavailable = draft.spec?.updateStrategy?.rollingUpdate?.maxUnavailable;
  return (
    <fieldset className="flex flex-col gap-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <legend className="px-1 text-sm font-medium">InferenceSet</legend>
      <div className="grid grid-cols-3 gap-3">
        <Field
          label="Replicas"
          htmlFor="is-replicas"
          errors={issues.errorsAt("spec.replicas")}
          hint="spec.replicas: identical workspaces"
        >
          <input
            id="is-replicas"
            type="number"
            min={0}
            className={controlClass}
            value={draft.spec?.replicas ?? ""}
            aria-invalid={issues.errorsAt("spec.replicas").length > 0}
            onChange={(e) => set(["spec", "replicas"], numberOrText(e.target.value))}
          />
        </Field>
        <Field
          label="Node limit"
          htmlFor="is-node-limit"
          errors={issues.errorsAt("spec.nodeCountLimit")}
          hint="spec.nodeCountLimit; empty: none"
        >
          <input
            id="is-node-limit"
            type="number"
            min={1}
            className={controlClass}
            value={draft.spec?.nodeCountLimit ?? ""}
            aria-invalid={issues.errorsAt("spec.nodeCountLimit").length > 0}
            onChange={(e) => set(["spec", "nodeCountLimit"], numberOrText(e.target.value))}
          />
        </Field>
        <Field
          label="Max unavailable"
          htmlFor="is-max-unavailable"
          errors={issues.errorsAt("spec.updateStrategy")}
          hint="During a rollout: a count or a %"
        >
          <input
            id="is-max-unavailable"
            className={controlClass}
            placeholder="1"
            value={maxUnavailable ?? ""}
            aria-invalid={issues.errorsAt("spec.updateStrategy").length > 0}
            onChange={(e) => {
              const value = numberOrText(e.target.value);
              set(
                ["spec", "updateStrategy"],
                value === undefined ? undefined : { type: "RollingUpdate", rollingUpdate: { maxUnavailable: value } },
              );
            }}
          />
        </Field>
      </div>

      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={autoscale}
          onChange={(e) => {
            if (e.target.checked) setAnnotation(ScaledObjectAnnotation.AutoProvision, "true");
            // Off means off: the other annotations alone would only leave a warning behind.
            else for (const key of Object.values(ScaledObjectAnnotation)) setAnnotation(key, "");
          }}
        />
        <span>
          Autoscale with KEDA <code className="text-xs">{ScaledObjectAnnotation.AutoProvision}</code>
        </span>
      </label>
      {autoscale ? (
        <div className="grid grid-cols-3 gap-3">
          <Field
            label="Max replicas"
            htmlFor="is-max-replicas"
            errors={issues.errorsAt(annotationField(ScaledObjectAnnotation.MaxReplicas))}
            hint="Empty: what the node limit allows"
          >
            <input
              id="is-max-replicas"
              inputMode="numeric"
              className={controlClass}
              value={annotations[ScaledObjectAnnotation.MaxReplicas] ?? ""}
              onChange={(e) => setAnnotation(ScaledObjectAnnotation.MaxReplicas, e.target.value)}
            />
          </Field>
          <Field
            label="Threshold"
            htmlFor="is-threshold"
            errors={issues.errorsAt(annotationField(ScaledObjectAnnotation.Threshold))}
            hint="Per replica; above it, scale up"
          >
            <input
              id="is-threshold"
              inputMode="numeric"
              className={controlClass}
              value={annotations[ScaledObjectAnnotation.Threshold] ?? ""}
              onChange={(e) => setAnnotation(ScaledObjectAnnotation.Threshold, e.target.value)}
            />
          </Field>
          <Field
            label="Metric"
            htmlFor="is-metric"
            errors={issues.errorsAt(annotationField(ScaledObjectAnnotation.MetricName))}
            hint="vLLM metric of the pods"
          >
            <input
              id="is-metric"
              className={controlClass}
              placeholder={DEFAULT_SCALING_METRIC}
              value={annotations[ScaledObjectAnnotation.MetricName] ?? ""}
              onChange={(e) => setAnnotation(ScaledObjectAnnotation.MetricName, e.target.value)}
            />
          </Field>
        </div>
      ) : null}
    </fieldset>
  );
}
