"use client";

import { useEffect, useState } from "react";

import { Field } from "@/components/ui/field";
import { controlClass } from "@/components/ui/input";
import { ANNOTATION_RUNTIME as RUNTIME } from "@/lib/kaito/labels";

import { NodePicker } from "./node-picker";
import type { DraftSectionProps } from "./use-draft-yaml";

function parseLabels(text: string): Record<string, string> | null {
  const labels: Record<string, string> = {};
  for (const line of text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9][-A-Za-z0-9_./]*)=([-A-Za-z0-9_.]*)$/.exec(line);
    if (!match) return null;
    labels[match[1]] = match[2];
  }
  return labels;
}

const labelsText = (labels: Record<string, string> | undefined) =>
  Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");

/**
 * The selector as the user types it: half-typed lines must not be overwritten by the YAML, but a
 * selector changed in the editor must show here.
 */
function useLabelDraft(matchLabels: Record<string, string>) {
  const fromYaml = labelsText(matchLabels);
  const [text, setText] = useState(fromYaml);
  useEffect(() => {
    setText((current) => (labelsText(parseLabels(current) ?? undefined) === fromYaml ? current : fromYaml));
  }, [fromYaml]);
  return [text, setText] as const;
}

/**
 * How many nodes, which runtime, and which nodes: resource.count, the runtime annotation, the
 * selector. For an InferenceSet's template (`replicaTemplate`) only the runtime and the selector:
 * a template has no node count and no preferred nodes.
 */
export function WorkspacePlacementFields({
  draft,
  set,
  issues,
  lockedReason,
  replicaTemplate = false,
}: DraftSectionProps & { replicaTemplate?: boolean }) {
  const countLocked = lockedReason?.("resource.count");
  const labelsLocked = lockedReason?.("resource.labelSelector");
  const matchLabels = draft.resource?.labelSelector?.matchLabels ?? {};
  const [labelDraft, setLabelDraft] = useLabelDraft(matchLabels);
  const labelsValid = parseLabels(labelDraft) !== null;
  return (
    <>
      <div className="grid grid-cols-2 gap-3">
        {replicaTemplate ? null : (
          <Field
            label="Nodes"
            htmlFor="ws-count"
            errors={issues.errorsAt("resource.count")}
            hint={
              countLocked
                ? `Cannot change: ${countLocked}`
                : "resource.count; more than one spreads the model over several nodes"
            }
          >
            <input
              id="ws-count"
              type="number"
              min={1}
              max={16}
              className={controlClass}
              readOnly={Boolean(countLocked)}
              value={draft.resource?.count ?? 1}
              onChange={(e) =>
                set(
                  ["resource", "count"],
                  e.target.value === "" || e.target.value === "1" ? undefined : Number(e.target.value),
                )
              }
            />
          </Field>
        )}
        <Field label="Runtime" htmlFor="ws-runtime">
          <select
            id="ws-runtime"
            className={controlClass}
            value={draft.metadata?.annotations?.[RUNTIME] ?? "vllm"}
            onChange={(e) =>
              set(["metadata", "annotations", RUNTIME], e.target.value === "vllm" ? undefined : e.target.value)
            }
          >
            <option value="vllm">vLLM (default)</option>
            <option value="transformers">transformers</option>
          </select>
        </Field>
      </div>

      <Field
        label="Node label selector"
        htmlFor="ws-labels"
        errors={issues.errorsAt("resource.labelSelector")}
        hint={
          labelsLocked
            ? `Cannot change: ${labelsLocked}`
            : labelsValid
              ? "One key=value per line. New nodes get these labels; existing nodes with them are reused."
              : "Write each label as key=value"
        }
      >
        <textarea
          id="ws-labels"
          rows={2}
          className={`${controlClass} font-mono`}
          value={labelDraft}
          readOnly={Boolean(labelsLocked)}
          aria-invalid={!labelsValid}
          onChange={(e) => {
            setLabelDraft(e.target.value);
            const parsed = parseLabels(e.target.value);
            if (parsed) set(["resource", "labelSelector", "matchLabels"], parsed);
          }}
        />
      </Field>

      {replicaTemplate ? null : (
        <NodePicker
          matchLabels={matchLabels}
          instanceType={draft.resource?.instanceType ?? ""}
          selected={draft.resource?.preferredNodes ?? []}
          onChange={(nodes) => set(["resource", "preferredNodes"], nodes)}
        />
      )}
    </>
  );
}
