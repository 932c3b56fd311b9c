"use client";

import { InputField } from "@/components/ui/input";
import { DEFAULT_SCALING_METRIC, ScaledObjectAnnotation } from "@/lib/kaito/inferenceset";

import type { SetDraftValue } from "../workspaces/use-draft-yaml";
import type { FieldIssues } from "../workspaces/workspace-issues";

import type { InferenceSetDraft } from "./inference-set-draft";

const annotationField = (key: string) => `metadata.annotations.${key}`;

type CountInput = { field: "replicas" | "nodeCountLimit"; id: string; label: string; hint: string; min: number };

/** The set's own counts. */
const SPEC_COUNTS: CountInput[] = [
  { field: "replicas", id: "is-replicas", label: "Replicas", hint: "spec.replicas: identical workspaces", min: 0 },
  {
    field: "nodeCountLimit",
    id: "is-node-limit",
    label: "Node limit",
    hint: "spec.nodeCountLimit; empty: none",
    min: 1,
  },
];

type AnnotationInput = {
  key: string;
  id: string;
  label: string;
  hint: string;
  numeric?: boolean;
  placeholder?: string;
};

/** keda-kaito-scaler's annotations beside the switch that turns it on. */
const KEDA_FIELDS: AnnotationInput[] = [
  {
    key: ScaledObjectAnnotation.MaxReplicas,
    id: "is-max-replicas",
    label: "Max replicas",
    hint: "Empty: what the node limit allows",
    numeric: true,
  },
  {
    key: ScaledObjectAnnotation.Threshold,
    id: "is-threshold",
    label: "Threshold",
    hint: "Per replica; above it, scale up",
    numeric: true,
  },
  {
    key: ScaledObjectAnnotation.MetricName,
    id: "is-metric",
    label: "Metric",
    hint: "vLLM metric of the pods",
    placeholder: DEFAULT_SCALING_METRIC,
  },
];

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
        {SPEC_COUNTS.map(({ field, id, label, hint, min }) => (
          <InputField
            key={field}
            id={id}
            label={label}
            type="number"
            min={min}
            errors={issues.errorsAt(`spec.${field}`)}
            hint={hint}
            value={draft.spec?.[field] ?? ""}
            onChange={(e) => set(["spec", field], numberOrText(e.target.value))}
          />
        ))}
        <InputField
          id="is-max-unavailable"
          label="Max unavailable"
          placeholder="1"
          errors={issues.errorsAt("spec.updateStrategy")}
          hint="During a rollout: a count or a %"
          value={maxUnavailable ?? ""}
          onChange={(e) => {
            const value = numberOrText(e.target.value);
            set(
              ["spec", "updateStrategy"],
              value === undefined ? undefined : { type: "RollingUpdate", rollingUpdate: { maxUnavailable: value } },
            );
          }}
        />
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
          {KEDA_FIELDS.map(({ key, id, label, hint, numeric, placeholder }) => (
            <InputField
              key={key}
              id={id}
              label={label}
              inputMode={numeric ? "numeric" : undefined}
              placeholder={placeholder}
              errors={issues.errorsAt(annotationField(key))}
              hint={hint}
              value={annotations[key] ?? ""}
              onChange={(e) => setAnnotation(key, e.target.value)}
            />
          ))}
        </div>
      ) : null}
    </fieldset>
  );
}
